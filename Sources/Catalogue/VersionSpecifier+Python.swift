import PEP440

extension VersionSpecifier {
    /// Whether `python` is admitted: PEP 440's rules, on a Python's version.
    public func admits(_ python: PythonVersion) -> Bool {
        admits(pythonRelease: [python.major, python.minor, python.patch], preRelease: python.prerelease)
    }
}
