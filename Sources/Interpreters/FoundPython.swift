import Catalogue
import ManagedPythons

/// A Python that answers a request: a pyman install (with its record) or one found on the machine.
public struct FoundPython: Sendable {
    public var executable: String
    public var key: PythonKey?
    /// `pyman`, or where discovery found it (`PATH`, `pyenv`, `uv`, `system`).
    public var source: String
    public var record: InstallRecord?
    public var system: SystemInterpreter?

    public init(record: InstallRecord) {
        executable = record.executable
        key = record.pythonKey
        source = "pyman"
        self.record = record
    }

    public init(system: SystemInterpreter) {
        executable = system.executable
        key = system.key
        source = system.source
        self.system = system
    }
}
