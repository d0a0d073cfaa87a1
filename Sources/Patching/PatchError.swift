/// A failure of the venv home fix or of writing a patched file; the message says what to do.
public struct PatchError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}
