/// Problems reading a catalogue; each message names the source and what to do.
public struct CatalogueError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}
