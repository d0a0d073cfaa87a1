/// Why a wheel could not be used. `damaged` is the wheel's (or the cached tree's) fault; `io` is the
/// file system's (permissions, disk full). Venv's `PipSeeder` turns each into a one-line `SeedError`.
public enum WheelFailure: Error, Equatable, Sendable {
    case damaged(String)
    case unsupported(String)
    case io(String)
}
