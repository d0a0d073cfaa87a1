/// Fills the `__PYMAN_<NAME>__` placeholders of an activation script's template (Sources/Venv/Activators).
enum ActivatorTemplate {
    static let opening = Array("__PYMAN_".utf8)
    static let closing = Array("__".utf8)

    /// `template` with every placeholder replaced by its value in `values` (keyed by `<NAME>`). One pass
    /// from left to right: a value is never searched for placeholders, so a venv path or prompt that
    /// contains `__PYMAN_VENV__` stays as typed.
    static func fill(_ template: [UInt8], _ values: [String: String]) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(template.count + values.values.reduce(0) { $0 + $1.utf8.count })
        var index = 0
        while let start = firstOffset(of: opening, in: template, from: index) {
            let nameStart = start + opening.count
            guard let nameEnd = firstOffset(of: closing, in: template, from: nameStart) else { break }
            let name = String(decoding: template[nameStart..<nameEnd], as: UTF8.self)
            guard let value = values[name] else { preconditionFailure("no value for the activator placeholder \(name)") }
            output += template[index..<start]
            output += value.utf8
            index = nameEnd + closing.count
        }
        output += template[index...]
        return String(decoding: output, as: UTF8.self)
    }

    static func firstOffset(of pattern: [UInt8], in bytes: [UInt8], from start: Int) -> Int? {
        var index = start
        while index + pattern.count <= bytes.count {
            if bytes[index..<(index + pattern.count)].elementsEqual(pattern) { return index }
            index += 1
        }
        return nil
    }
}
