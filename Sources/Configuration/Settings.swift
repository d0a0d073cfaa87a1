import Catalogue
import Core
import Download
import FoundationEssentials

/// Everything a pyman command needs to know about its surroundings, read once from the environment
/// and flags by the CLI and passed down; no module reads the environment by itself.
public struct Settings: Sendable {
    /// The release number, from the repository's VERSION file (the BuildInfo plugin compiles it in):
    /// what install records and venvs note as the pyman that made them.
    public static let version = BuildInfo.version
    /// What `pyman --version` prints: the version and the commit built, as uv does (`pyman 0.1.0 (abc1234 2026-12-07)`).
    public static let versionLine = "pyman \(BuildInfo.version) (\(BuildInfo.commit))"

    /// HOME (else the password database's home folder): where shells' startup files are.
    public var homeDir: String
    public var installDir: String
    public var binDir: String
    /// pyman's data folder, `$XDG_DATA_HOME/pyman` (else `~/.local/share/pyman`): the venv registry. The
    /// default install dir is its `python/`; PYMAN_INSTALL_DIR moves the installs, not this folder.
    public var dataDir: String
    /// PATH as the environment gives it (nil when unset): whether the bin dir is on it (`install`'s
    /// note), and which shells are installed (`update-shell`).
    public var searchPath: String?
    /// ZDOTDIR: the folder zsh reads its startup files from instead of HOME (nil when unset or empty).
    public var zshDotDir: String?
    /// `$XDG_CONFIG_HOME`, else `~/.config`: where fish reads its configuration (`fish/conf.d`).
    public var configDir: String
    public var cacheDir: String
    /// Path or URL of a uv-format catalogue replacing the embedded one.
    public var downloadsJSON: String?
    /// Where `pyman catalogue update` and refreshes fetch the catalogue (PYMAN_CATALOGUE_URL); nil for
    /// the stored catalogue's own URL, else `CatalogueUpdate.defaultURL`.
    public var catalogueURL: String?
    /// PYMAN_CATALOGUE_TTL as given; read by `CatalogueTTL(parsing:)` where a refresh is considered, so a
    /// bad value fails only the commands that would refresh.
    public var catalogueTTL: String?
    /// Replaces the python-build-standalone release prefix of catalogue URLs: PYMAN_PYTHON_MIRROR or
    /// `--mirror` as given, one URL or several (see `mirrors`).
    public var mirror: String?
    /// The mirrors in `mirror`, in order, separated by blanks or commas (a comma inside a URL is `%2C`).
    /// Each is tried once per archive, the next when one fails, the last also with the retries of
    /// transient failures; then the catalogue's own (GitHub) URL, once, as the last resort. Offline,
    /// the first URL only (see `Settings.mirrored`, `MirrorList`).
    public var mirrors: [String] { Self.list(mirror) }
    /// Replaces `https://downloads.python.org/pypy` in catalogue URLs: PYMAN_PYPY_MIRROR as given, one
    /// URL or several (see `pypyMirrors`).
    public var pypyMirror: String?
    /// The mirrors in `pypyMirror`, read and tried as `mirrors` are (the catalogue's own URL last).
    public var pypyMirrors: [String] { Self.list(pypyMirror) }
    public var download: DownloadOptions
    /// Touch no network (PYMAN_OFFLINE, `--offline`): kept in the download options, which refuse any
    /// URL but file: then.
    public var offline: Bool {
        get { download.offline }
        set { download.offline = newValue }
    }
    /// Keep each downloaded archive in `<cache dir>/downloads-v1` and install from there when it is present
    /// (off with PYMAN_NO_CACHE=1 or `--no-cache`).
    public var useDownloadCache = true
    /// Refuse catalogue entries without a sha256 unless this is false (`--no-verify`).
    public var requireChecksum = true
    public var currentDirectory: String
    /// This machine, with the highest x86-64 level its CPU runs (or the one PYMAN_PYTHON_ARCH forces).
    public var platform: Platform
    /// Why PYMAN_PYTHON_ARCH could not be used, if it could not; `validate()` throws it.
    var platformProblem: PymanError?
    public var output: Output
    /// Whether pyman's installs or the machine's other Pythons answer first (PYMAN_PYTHON_PREFERENCE).
    public var pythonPreference = PythonPreference.managed
    var preferenceProblem: PymanError?
    /// PATH's folders (absolute ones), in order: where `InterpreterDiscovery` looks first.
    public var executablePath: [String] {
        (searchPath ?? "").split(separator: ":").map(String.init).filter { $0.hasPrefix("/") }
    }
    /// pyenv's root (PYENV_ROOT, else ~/.pyenv) and uv's managed Pythons (UV_PYTHON_INSTALL_DIR, else
    /// `$XDG_DATA_HOME/uv/python`): where discovery looks after PATH.
    public var pyenvRoot: String
    public var uvPythonDir: String
    /// The global pin (`pyman pin --global`): `<configDir>/pyman/python-version`, read when nothing nearer
    /// says which Python.
    public var globalPinFile: String { Path.join(configDir, "pyman/python-version") }

    /// Reads `PYMAN_*` and XDG variables (exact names in README.md).
    public init(environment: [String: String], currentDirectory: String, output: Output) {
        // An empty HOME counts as unset, as an empty PYMAN_* variable does: never the current folder.
        let home = Path.absolute(environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? ProcessEnvironment.passwordHome(), in: currentDirectory)
        func path(_ name: String) -> String? {
            guard let value = environment[name], !value.isEmpty else { return nil }
            return Path.absolute(value, in: currentDirectory)
        }
        dataDir = Path.join(path("XDG_DATA_HOME") ?? Path.join(home, ".local/share"), "pyman")
        installDir = path("PYMAN_INSTALL_DIR") ?? Path.join(dataDir, "python")
        binDir = path("PYMAN_BIN_DIR") ?? path("XDG_BIN_HOME") ?? Path.join(home, ".local/bin")
        homeDir = home
        searchPath = environment["PATH"]
        zshDotDir = path("ZDOTDIR")
        configDir = path("XDG_CONFIG_HOME") ?? Path.join(home, ".config")
        cacheDir = path("PYMAN_CACHE_DIR") ?? Path.join(path("XDG_CACHE_HOME") ?? Path.join(home, ".cache"), "pyman")
        downloadsJSON = environment["PYMAN_DOWNLOADS_JSON"].flatMap { $0.isEmpty ? nil : $0 }
        catalogueURL = environment["PYMAN_CATALOGUE_URL"].flatMap { $0.isEmpty ? nil : $0 }
        catalogueTTL = environment["PYMAN_CATALOGUE_TTL"]
        mirror = environment["PYMAN_PYTHON_MIRROR"].flatMap { $0.isEmpty ? nil : $0 }
        pypyMirror = environment["PYMAN_PYPY_MIRROR"].flatMap { $0.isEmpty ? nil : $0 }
        download = DownloadOptions(environment: environment)
        if download.netrcFile == nil { download.netrcFile = Path.join(homeDir, ".netrc") }
        useDownloadCache = !DownloadOptions.isOn(environment["PYMAN_NO_CACHE"])
        self.currentDirectory = currentDirectory
        do {
            platform = try Platform.machine(cpuInfo: ProcessEnvironment.cpuInfo, archOverride: environment["PYMAN_PYTHON_ARCH"])
        } catch {
            (platform, platformProblem) = (.current, error)
        }
        pyenvRoot = path("PYENV_ROOT") ?? Path.join(home, ".pyenv")
        uvPythonDir = path("UV_PYTHON_INSTALL_DIR") ?? Path.join(path("XDG_DATA_HOME") ?? Path.join(home, ".local/share"), "uv/python")
        if let value = environment["PYMAN_PYTHON_PREFERENCE"], !value.isEmpty {
            do {
                pythonPreference = try PythonPreference(parsing: value)
            } catch {
                preferenceProblem = error as? PymanError
            }
        }
        self.output = output
    }
}

extension Settings {
    /// Throws what was wrong with the environment the settings were read from (a PYMAN_PYTHON_ARCH
    /// this machine cannot run), so a command stops with one line before it does anything.
    public func validate() throws {
        if let platformProblem { throw platformProblem }
        if let preferenceProblem { throw preferenceProblem }
    }

    /// The buckets of the cache dir.
    public var cacheLayout: CacheLayout { CacheLayout(root: cacheDir) }

    /// The download cache in the cache dir.
    public var archiveCache: ArchiveCache { ArchiveCache(cacheDir: cacheDir) }

    /// A list of mirror URLs as PYMAN_PYTHON_MIRROR and PYMAN_PYPY_MIRROR give them: separated by
    /// blanks or commas, empty parts skipped.
    static func list(_ text: String?) -> [String] {
        (text ?? "").split(whereSeparator: { $0 == " " || $0 == "," || $0 == "\t" || $0 == "\n" }).map(String.init)
    }

    /// Takes the lock of one install key (`<install dir>/.lock-<key>`): held by its install, its uninstall
    /// and the refresh of its links, so those never interleave for the same Python.
    public func lockKey(_ key: String) throws -> FileLock {
        try FileLock(path: Path.join(installDir, ".lock-\(key)"))
    }
}
