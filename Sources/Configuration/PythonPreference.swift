import Core

/// Whether pyman's own installs or the machine's other Pythons answer a request first, as uv's
/// `python-preference` says it (PYMAN_PYTHON_PREFERENCE, `--managed-python`, `--no-managed-python`).
public enum PythonPreference: String, Sendable, CaseIterable {
    /// A matching pyman install wins; another Python on the machine is used when none matches.
    case managed
    /// pyman's installs only.
    case onlyManaged = "only-managed"
    /// A matching Python found on the machine wins; else a pyman install.
    case system
    /// The machine's Pythons only.
    case onlySystem = "only-system"

    public init(parsing text: String) throws {
        guard let value = PythonPreference(rawValue: text.lowercased()) else {
            throw PymanError("PYMAN_PYTHON_PREFERENCE='\(text.escapingControlCharacters())' is not a preference",
                             hint: "use managed, only-managed, system or only-system")
        }
        self = value
    }

    public var allowsManaged: Bool { self != .onlySystem }
    public var allowsSystem: Bool { self != .onlyManaged }
    /// Whether the machine's Pythons are asked before pyman's own installs.
    public var systemFirst: Bool { self == .system || self == .onlySystem }
}
