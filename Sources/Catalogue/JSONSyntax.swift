import Core

/// Finds where a JSON text breaks, for an error message with line and column: FoundationEssentials'
/// JSONDecoder only says "The given data was not valid JSON". Checks the grammar only (RFC 8259) with
/// Core's `JSONScanner`, which skips values iteratively, so hostile nesting cannot overflow the stack.
enum JSONSyntax {
    /// The first syntax error in `bytes` ("unexpected ',', expected a value at line 3, column 11"), or
    /// nil when it is JSON.
    static func firstError(in bytes: [UInt8]) -> String? {
        var scanner = JSONScanner(bytes)
        do throws(JSONScanner.Failure) {
            try scanner.skipValue()
            try scanner.expectEnd()
            return nil
        } catch {
            return error.description
        }
    }
}
