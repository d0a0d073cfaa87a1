/// What `pyman venv` was asked for.
public struct VenvOptions: Sendable {
    public var prompt: String?
    public var systemSitePackages = false
    /// Replace an existing venv's contents.
    public var clear = false
    /// Copy the interpreter (and its libpython) instead of linking to it.
    public var copies = false
    public var seedPip = false

    public init(prompt: String? = nil, systemSitePackages: Bool = false, clear: Bool = false, copies: Bool = false, seedPip: Bool = false) {
        (self.prompt, self.systemSitePackages, self.clear, self.copies, self.seedPip) = (prompt, systemSitePackages, clear, copies, seedPip)
    }
}
