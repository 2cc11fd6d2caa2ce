// CIGraph: the igraph calls the Communities module needs (Leiden, modularity, a layout), behind a
// header of plain C types. igraph's own headers are included only by leiden.c, never by a module
// Swift imports: a module that carried them (and with them <stdio.h> and <sys/select.h>) clashed
// with Foundation's Dispatch module over `fd_set` in clean builds.
//
// Not thread-safe: Debian's igraph keeps its RNG, error handlers and temporaries in globals, so
// the caller serialises every call (the Communities module holds one process-wide lock).
#ifndef GRAPHINGEST_CIGRAPH_H
#define GRAPHINGEST_CIGRAPH_H

#include <stdint.h>

/// Leiden with the modularity objective on an undirected weighted graph of `vertex_count`
/// vertices and `edge_count` edges (`endpoints` holds two vertex numbers per edge), with node
/// weights `node_weights`, resolution `resolution` (already divided by 2m), randomness `beta`,
/// `iterations` iterations, igraph's RNG seeded with `seed` first. Writes a community number per
/// vertex to `membership` (vertex_count entries).
/// Returns 0, or igraph's error code (see `gi_igraph_error_text`).
int gi_igraph_leiden(int64_t vertex_count, const int64_t *endpoints, int64_t edge_count, const double *weights,
                     const double *node_weights, double resolution, double beta, int64_t iterations, uint64_t seed,
                     int64_t *membership);

/// The weighted modularity of `membership` (a community number per vertex) on the graph, with
/// resolution γ `resolution`. Returns 0, or igraph's error code.
int gi_igraph_modularity(int64_t vertex_count, const int64_t *endpoints, int64_t edge_count, const double *weights,
                         const int64_t *membership, double resolution, double *value);

/// Kamada-Kawai positions for an undirected weighted graph (an edge of weight w > 0 wants length
/// 1 / w: stronger pairs sit closer), from a circle in vertex order, for at most `iterations`
/// iterations, with igraph's constant (the vertex count) and no random number: the same graph
/// gives the same positions. Unconnected vertices keep igraph's distance of sqrt(vertex_count).
/// Writes x, y per vertex to `positions` (2 * vertex_count entries). Returns 0, or igraph's error code.
int gi_igraph_layout_kamada_kawai(int64_t vertex_count, const int64_t *endpoints, int64_t edge_count, const double *weights,
                                  int64_t iterations, double *positions);

/// igraph's text for an error code.
const char *gi_igraph_error_text(int code);

#endif
