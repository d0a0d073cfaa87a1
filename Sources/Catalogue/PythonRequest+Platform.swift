extension PythonRequest {
    /// The build runs on this machine (`Platform.runs`: a lower x86-64 level too), or is for the
    /// platform the request spells out (parts it leaves out default to this machine's; an architecture
    /// it leaves out is this machine's with the levels it runs, `3.13-linux` as much as `3.13`).
    public func accepts(_ key: PythonKey, on platform: Platform) -> Bool {
        guard key.platform.os == (os ?? platform.os), key.platform.libc == (libc ?? platform.libc) else { return false }
        if let archTag { return key.platform.archTag == archTag }
        var machine = platform
        (machine.os, machine.libc) = (key.platform.os, key.platform.libc)
        return machine.runs(key.platform)
    }
}
