/// The page's style sheet, inline: the system's fonts, tables that scroll sideways in a narrow
/// window, and a print layout without the navigation that keeps figures whole.
enum ReportStyle {
    static let css = """
        :root { color-scheme: light; --ink: #1d1d1f; --muted: #555; --rule: #d0d0d0; --band: #f4f4f6; --link: #1f5fa8; }
        * { box-sizing: border-box; }
        body { margin: 0 auto; max-width: 72rem; padding: 1rem 1.5rem 3rem; color: var(--ink); background: #fff;
          font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans", sans-serif; }
        h1 { font-size: 1.7rem; margin: .5rem 0 .25rem; }
        h2 { font-size: 1.35rem; margin: 2rem 0 .5rem; padding-bottom: .2rem; border-bottom: 2px solid var(--ink); }
        h3 { font-size: 1.05rem; margin: 1.2rem 0 .3rem; }
        a { color: var(--link); }
        code { font: .85em ui-monospace, "DejaVu Sans Mono", monospace; }
        .note, .meta, figcaption { color: var(--muted); }
        nav ul { list-style: none; padding: 0; margin: .5rem 0; display: flex; flex-wrap: wrap; gap: .3rem 1rem; }
        .grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(20rem, 1fr)); gap: 0 1.5rem; align-items: start; }
        .scroll { overflow-x: auto; margin: .5rem 0 1rem; }
        table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
        caption { text-align: left; font-weight: 600; padding: .3rem 0; }
        th, td { padding: .25rem .5rem; border-bottom: 1px solid var(--rule); text-align: left; vertical-align: top; }
        thead th { border-bottom: 2px solid var(--ink); }
        tbody tr:nth-child(even) { background: var(--band); }
        tbody th { font-weight: normal; }
        .num, time { white-space: nowrap; }
        .num { text-align: right; }
        figure { margin: .5rem 0 1rem; }
        svg { display: block; width: 100%; height: auto; max-height: 80vh; font: 13px system-ui, "DejaVu Sans", sans-serif; fill: var(--ink); }
        .network { border: 1px solid var(--rule); background: #fcfcfd; }
        .edge { stroke: #8a8f98; stroke-opacity: .55; }
        .node { stroke: #fff; stroke-width: 1; }
        .community:target .node { stroke: var(--ink); stroke-width: 3; }
        .labels { text-anchor: middle; }
        .labels text { font-size: 12px; paint-order: stroke; stroke: #fff; stroke-width: 3px; }
        .bar { fill: #4e79a7; }
        .axis { fill: var(--ink); }
        .legend { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: .25rem 1rem; font-size: .9rem; }
        .swatch { display: inline-block; width: .9em; height: .9em; margin-right: .35em; vertical-align: -.1em; border-radius: 2px;
          -webkit-print-color-adjust: exact; print-color-adjust: exact; }
        .communities { padding-left: 1.5rem; }
        .communities li:target { background: #fff6d6; }
        .communities h3 { margin-bottom: 0; }
        .communities p { margin: .2rem 0; }
        @media (max-width: 40rem) {
          body { padding: .5rem .75rem 2rem; font-size: 14px; }
          .grid { grid-template-columns: 1fr; }
          th, td { padding: .2rem .3rem; }
          .communities { padding-left: 1.1rem; }
        }
        @media print {
          body { max-width: none; padding: 0; font-size: 10pt; }
          nav { display: none; }
          a { color: inherit; text-decoration: none; }
          h2 { break-after: avoid; }
          figure, table, article { break-inside: avoid; }
          svg { max-height: 60vh; }
          tbody tr:nth-child(even) { background: none; }
          .scroll { overflow: visible; }
          th, td { padding: .1rem .3rem; }
        }

        """
}
