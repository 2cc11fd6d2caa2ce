/// The visible text of an HTML page: tags, comments, scripts and styles removed, character
/// references decoded, block elements turned into line breaks, runs of white space collapsed.
/// Not a full HTML parser: enough for documents, and it never fails.
enum HTMLText {
    /// The visible text and the page title (`<title>`, else the first `<h1>`), if any.
    static func extract(_ html: String) -> (text: String, title: String?) {
        let input = Array(html.unicodeScalars)
        var visible = VisibleText()
        var title: String?
        var heading: String?
        var index = 0
        var capture: (name: String, start: Int)?

        while index < input.count {
            let scalar = input[index]
            if scalar == "&" {
                let (decoded, length) = decodeReference(input, at: index)
                for character in decoded { visible.emit(character) }
                index += length
                continue
            }
            guard scalar == "<" else {
                visible.emit(scalar)
                index += 1
                continue
            }
            if starts(input, at: index, with: "<!--") {
                index = find(input, "-->", from: index + 4).map { $0 + 3 } ?? input.count
                continue
            }
            guard let close = input[index...].firstIndex(of: ">") else {
                visible.emit(scalar)
                index += 1
                continue
            }
            let tag = String(String.UnicodeScalarView(input[(index + 1)..<close]))
            let closing = tag.hasPrefix("/")
            let name = tag.drop { $0 == "/" }.prefix { $0.isLetter || $0.isNumber }.lowercased()
            if name.isEmpty && !closing && !tag.hasPrefix("!") && !tag.hasPrefix("?") {
                visible.emit(scalar) // a lone "<" in text
                index += 1
                continue
            }
            index = close + 1
            if !closing, ["script", "style", "noscript", "template", "title"].contains(name) {
                let end = find(input, "</\(name)", from: index, caseInsensitive: true) ?? input.count
                if name == "title" {
                    title = collapse(decodeReferences(Array(input[index..<end])))
                }
                index = end
                continue
            }
            if closing, capture?.name == name, let start = capture?.start {
                heading = heading ?? collapse(visible.text(from: start))
                capture = nil
            }
            if blockElements.contains(name) {
                visible.pendingBreaks += name == "br" ? 1 : 2
                if !closing && name == "h1" && heading == nil {
                    capture = (name, visible.output.count)
                }
            } else if name == "td" || name == "th" {
                visible.pendingSpace = true
            }
        }
        let text = String(visible.output)
        return (text, [title, heading].compactMap { $0 }.first { !$0.isEmpty })
    }

    /// The visible text as it is written: white space is held back until the next visible
    /// scalar, so that runs of it collapse and none leads or trails.
    private struct VisibleText {
        var output = String.UnicodeScalarView()
        var pendingSpace = false
        var pendingBreaks = 0

        mutating func emit(_ scalar: Unicode.Scalar) {
            if scalar.properties.isWhitespace {
                pendingSpace = true
                return
            }
            if !output.isEmpty {
                if pendingBreaks > 0 {
                    output.append(contentsOf: String(repeating: "\n", count: min(pendingBreaks, 2)).unicodeScalars)
                } else if pendingSpace {
                    output.append(" ")
                }
            }
            pendingBreaks = 0
            pendingSpace = false
            output.append(scalar)
        }

        /// The text written since `start` scalars.
        func text(from start: Int) -> String {
            String(String.UnicodeScalarView(output[output.index(output.startIndex, offsetBy: start)...]))
        }
    }

    private static let blockElements: Set<String> = [
        "address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "figcaption", "figure",
        "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav", "ol",
        "p", "pre", "section", "table", "tr", "ul", "body", "html", "head", "caption", "summary", "details",
    ]

    private static func decodeReferences(_ input: [Unicode.Scalar]) -> String {
        var output = String.UnicodeScalarView()
        var index = 0
        while index < input.count {
            if input[index] == "&" {
                let (decoded, length) = decodeReference(input, at: index)
                output.append(contentsOf: decoded)
                index += length
            } else {
                output.append(input[index])
                index += 1
            }
        }
        return String(output)
    }

    private static func collapse(_ text: String) -> String {
        text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    private static func starts(_ input: [Unicode.Scalar], at index: Int, with prefix: String) -> Bool {
        let scalars = Array(prefix.unicodeScalars)
        return index + scalars.count <= input.count && Array(input[index..<(index + scalars.count)]) == scalars
    }

    private static func find(_ input: [Unicode.Scalar], _ needle: String, from start: Int, caseInsensitive: Bool = false) -> Int? {
        let scalars = Array(needle.unicodeScalars)
        var index = start
        while index + scalars.count <= input.count {
            var equal = true
            for offset in 0..<scalars.count {
                let a = input[index + offset]
                let b = scalars[offset]
                if a != b && !(caseInsensitive && a.isASCII && Character(a).lowercased() == Character(b).lowercased()) {
                    equal = false
                    break
                }
            }
            if equal { return index }
            index += 1
        }
        return nil
    }

    /// Decodes a character reference at `index` ("&amp;", "&#233;", "&#x1F600;"); an unknown
    /// one stays as it is.
    private static func decodeReference(_ input: [Unicode.Scalar], at index: Int) -> ([Unicode.Scalar], Int) {
        var end = index + 1
        while end < input.count && end - index <= 32 && (input[end].properties.isAlphabetic || input[end].properties.numericType != nil || input[end] == "#") {
            end += 1
        }
        let body = String(String.UnicodeScalarView(input[(index + 1)..<end]))
        let length = end - index + (end < input.count && input[end] == ";" ? 1 : 0)
        if body.hasPrefix("#") {
            let digits = body.dropFirst()
            let value = digits.first == "x" || digits.first == "X" ? UInt32(digits.dropFirst(), radix: 16) : UInt32(digits, radix: 10)
            if let value, let scalar = Unicode.Scalar(value), value != 0 { return ([scalar], length) }
        } else if let named = namedReferences[body] {
            return (Array(named.unicodeScalars), length)
        }
        return (["&"], 1)
    }

    private static let namedReferences: [String: String] = [
        "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": "\u{A0}", "copy": "©", "reg": "®",
        "trade": "™", "mdash": "—", "ndash": "–", "hellip": "…", "lsquo": "‘", "rsquo": "’", "ldquo": "“",
        "rdquo": "”", "laquo": "«", "raquo": "»", "middot": "·", "bull": "•", "euro": "€", "pound": "£",
        "yen": "¥", "cent": "¢", "sect": "§", "deg": "°", "times": "×", "divide": "÷", "shy": "\u{AD}",
        "aacute": "á", "agrave": "à", "acirc": "â", "auml": "ä", "atilde": "ã", "aring": "å", "aelig": "æ",
        "ccedil": "ç", "eacute": "é", "egrave": "è", "ecirc": "ê", "euml": "ë", "iacute": "í", "igrave": "ì",
        "icirc": "î", "iuml": "ï", "ntilde": "ñ", "oacute": "ó", "ograve": "ò", "ocirc": "ô", "ouml": "ö",
        "otilde": "õ", "oslash": "ø", "szlig": "ß", "uacute": "ú", "ugrave": "ù", "ucirc": "û", "uuml": "ü",
        "yacute": "ý", "yuml": "ÿ", "Aacute": "Á", "Agrave": "À", "Acirc": "Â", "Auml": "Ä", "Aring": "Å",
        "Ccedil": "Ç", "Eacute": "É", "Egrave": "È", "Ecirc": "Ê", "Iacute": "Í", "Ntilde": "Ñ", "Oacute": "Ó",
        "Ouml": "Ö", "Oslash": "Ø", "Uacute": "Ú", "Uuml": "Ü", "thinsp": "\u{2009}", "ensp": "\u{2002}", "emsp": "\u{2003}",
    ]
}
