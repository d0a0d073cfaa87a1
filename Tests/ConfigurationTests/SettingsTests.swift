import Foundation
import XCTest
import Core
@testable import Configuration
import Catalogue
import CatalogueStore

final class SettingsTests: XCTestCase {
    let cwd = URL(fileURLWithPath: "/work/project", isDirectory: true)

    func settings(_ environment: [String: String]) -> Settings {
        Settings(environment: environment, currentDirectory: cwd.path, output: Output(quiet: true))
    }

    func testDefaultsFollowHome() {
        let s = settings(["HOME": "/home/ann"])
        XCTAssertEqual(s.installDir, "/home/ann/.local/share/pyman/python")
        XCTAssertEqual(s.dataDir, "/home/ann/.local/share/pyman")
        XCTAssertEqual(s.binDir, "/home/ann/.local/bin")
        XCTAssertEqual(s.cacheDir, "/home/ann/.cache/pyman")
        XCTAssertNil(s.downloadsJSON)
        XCTAssertNil(s.mirror)
        XCTAssertTrue(s.requireChecksum)
    }

    func testXDGFoldersReplaceTheHomeDefaults() {
        let s = settings(["HOME": "/home/ann", "XDG_DATA_HOME": "/xdg/data", "XDG_BIN_HOME": "/xdg/bin", "XDG_CACHE_HOME": "/xdg/cache"])
        XCTAssertEqual(s.installDir, "/xdg/data/pyman/python")
        XCTAssertEqual(s.dataDir, "/xdg/data/pyman")
        XCTAssertEqual(s.binDir, "/xdg/bin")
        XCTAssertEqual(s.cacheDir, "/xdg/cache/pyman")
    }

    func testPymanVariablesWinOverXDG() {
        let s = settings(["HOME": "/home/ann", "XDG_DATA_HOME": "/xdg/data", "XDG_BIN_HOME": "/xdg/bin", "XDG_CACHE_HOME": "/xdg/cache",
                          "PYMAN_INSTALL_DIR": "/opt/py", "PYMAN_BIN_DIR": "/opt/bin", "PYMAN_CACHE_DIR": "/opt/cache"])
        XCTAssertEqual(s.installDir, "/opt/py")
        XCTAssertEqual(s.dataDir, "/xdg/data/pyman", "PYMAN_INSTALL_DIR moves the installs, not the venv registry")
        XCTAssertEqual(s.binDir, "/opt/bin")
        XCTAssertEqual(s.cacheDir, "/opt/cache")
    }

    func testRelativeAndEmptyValues() {
        let s = settings(["HOME": "/home/ann", "PYMAN_INSTALL_DIR": "pythons/../py", "PYMAN_BIN_DIR": "", "XDG_CACHE_HOME": "",
                          "PYMAN_DOWNLOADS_JSON": "", "PYMAN_PYTHON_MIRROR": ""])
        XCTAssertEqual(s.installDir, "/work/project/py", "relative to the current folder, normalised")
        XCTAssertEqual(s.binDir, "/home/ann/.local/bin", "an empty variable counts as unset")
        XCTAssertEqual(s.cacheDir, "/home/ann/.cache/pyman")
        XCTAssertNil(s.downloadsJSON)
        XCTAssertNil(s.mirror)
    }

    /// PYMAN_PYTHON_MIRROR may list several mirrors (blanks or commas); with none, Astral's copy comes
    /// first and the catalogue's GitHub URL second (as a mirror: the last, with the retries); after a
    /// list the user sets, GitHub is the last resort (tried once, after the list's retries).
    func testSeveralMirrorsInOrderAndTheDefaultOrder() {
        let github = Catalogue.upstreamPrefix + "/20250723/a.tar.gz"
        let catalogue = Catalogue(entries: [CatalogueEntry(key: PythonKey("cpython-3.13.5-linux-x86_64-gnu")!, url: github, sha256: nil, build: nil)])
        let listed = settings(["HOME": "/h", "PYMAN_PYTHON_MIRROR": " http://a/m/, https://u:t@b/m\thttp://c/m "])
        XCTAssertEqual(listed.mirrors, ["http://a/m/", "https://u:t@b/m", "http://c/m"])
        let mirrored = listed.mirrored(catalogue).entries[0]
        XCTAssertEqual([mirrored.url] + mirrored.fallbackURLs, ["http://a/m/20250723/a.tar.gz", "https://u:t@b/m/20250723/a.tar.gz", "http://c/m/20250723/a.tar.gz"],
                       "the user's list in its order")
        XCTAssertEqual(mirrored.lastResortURL, github, "the catalogue's own URL stays the last resort")
        let byDefault = settings(["HOME": "/h"]).mirrored(catalogue).entries[0]
        XCTAssertEqual([byDefault.url] + byDefault.fallbackURLs,
                       ["https://releases.astral.sh/github/python-build-standalone/releases/download/20250723/a.tar.gz", github])
        XCTAssertNil(byDefault.lastResortURL, "by default GitHub is the last mirror, not a last resort")
        XCTAssertEqual(settings(["HOME": "/h", "PYMAN_PYTHON_MIRROR": " , "]).mirrors, [])
    }

    /// PYMAN_PYPY_MIRROR is read as PYMAN_PYTHON_MIRROR is: several URLs in order, blanks or commas
    /// between them, downloads.python.org the last resort after them.
    func testSeveralPyPyMirrors() {
        let own = Catalogue.pypyPrefix + "/pypy3.9-v7.3.11-linux64.tar.bz2"
        let github = Catalogue.upstreamPrefix + "/20250723/a.tar.gz"
        let catalogue = Catalogue(entries: [CatalogueEntry(key: PythonKey("pypy-3.9.16-linux-x86_64-gnu")!, url: own, sha256: nil, build: nil),
                                            CatalogueEntry(key: PythonKey("cpython-3.13.5-linux-x86_64-gnu")!, url: github, sha256: nil, build: nil)])
        let listed = settings(["HOME": "/h", "PYMAN_PYPY_MIRROR": " http://a/pypy/,https://u:t@b/pypy\n http://c/pypy ", "PYMAN_PYTHON_MIRROR": "http://p/m"])
        XCTAssertEqual(listed.pypyMirror, " http://a/pypy/,https://u:t@b/pypy\n http://c/pypy ")
        XCTAssertEqual(listed.pypyMirrors, ["http://a/pypy/", "https://u:t@b/pypy", "http://c/pypy"])
        let entries = listed.mirrored(catalogue).entries
        XCTAssertEqual([entries[0].url] + entries[0].fallbackURLs,
                       ["http://a/pypy/pypy3.9-v7.3.11-linux64.tar.bz2", "https://u:t@b/pypy/pypy3.9-v7.3.11-linux64.tar.bz2", "http://c/pypy/pypy3.9-v7.3.11-linux64.tar.bz2"])
        XCTAssertEqual(entries[0].lastResortURL, own)
        XCTAssertEqual([entries[1].url] + entries[1].fallbackURLs, ["http://p/m/20250723/a.tar.gz"], "each list moves its own prefix only")
        XCTAssertEqual(entries[1].lastResortURL, github)
        let unset = settings(["HOME": "/h", "PYMAN_PYPY_MIRROR": ""])
        XCTAssertNil(unset.pypyMirror)
        XCTAssertEqual(unset.pypyMirrors, [])
        XCTAssertEqual(unset.mirrored(catalogue).entries[0].url, own, "no PyPy mirror: downloads.python.org alone")
        XCTAssertEqual(unset.mirrored(catalogue).entries[0].fallbackURLs, [])
        XCTAssertNil(unset.mirrored(catalogue).entries[0].lastResortURL)
        XCTAssertEqual(settings(["HOME": "/h", "PYMAN_PYPY_MIRROR": " ,\t"]).pypyMirrors, [])
    }

    func testNetrcIsNETRCElseInHome() {
        XCTAssertEqual(settings(["HOME": "/home/ann"]).download.netrcFile, "/home/ann/.netrc")
        XCTAssertEqual(settings(["HOME": "/home/ann", "NETRC": "/etc/pyman-netrc"]).download.netrcFile, "/etc/pyman-netrc")
        XCTAssertEqual(settings(["HOME": "/home/ann", "NETRC": ""]).download.netrcFile, "/home/ann/.netrc")
    }

    func testCatalogueAndMirrorVariables() {
        let s = settings(["HOME": "/h", "PYMAN_DOWNLOADS_JSON": "meta.json", "PYMAN_PYTHON_MIRROR": "http://127.0.0.1:1/m"])
        XCTAssertEqual(s.downloadsJSON, "meta.json")
        XCTAssertEqual(s.mirror, "http://127.0.0.1:1/m")
        XCTAssertNil(s.catalogueURL)
        XCTAssertNil(s.catalogueTTL)
        XCTAssertFalse(s.offline)
        let fetched = settings(["HOME": "/h", "PYMAN_CATALOGUE_URL": "https://m/meta.json", "PYMAN_CATALOGUE_TTL": "1h"])
        XCTAssertEqual(fetched.catalogueURL, "https://m/meta.json")
        XCTAssertEqual(fetched.catalogueTTL, "1h")
        XCTAssertNil(settings(["PYMAN_CATALOGUE_URL": ""]).catalogueURL)
    }

    func testOfflineAsUvReadsBooleans() {
        for on in ["1", "true", "TRUE", "yes", "on"] { XCTAssertTrue(settings(["PYMAN_OFFLINE": on]).offline, on) }
        for off in ["", "0", "false", "no", "off", "2"] { XCTAssertFalse(settings(["PYMAN_OFFLINE": off]).offline, off) }
    }

    func testTheDownloadCacheIsOnUnlessNoCacheIsSet() {
        XCTAssertTrue(settings([:]).useDownloadCache)
        XCTAssertTrue(settings(["PYMAN_NO_CACHE": "0"]).useDownloadCache)
        XCTAssertFalse(settings(["PYMAN_NO_CACHE": "1"]).useDownloadCache)
        XCTAssertEqual(settings(["PYMAN_CACHE_DIR": "/c"]).archiveCache.folder, "/c/downloads-v1")
    }

    func testShellVariablesForUpdateShellAndTheInstallNote() {
        let s = settings(["HOME": "/home/ann", "PATH": "/usr/bin:/bin", "ZDOTDIR": "/home/ann/.config/zsh", "XDG_CONFIG_HOME": "/xdg/config"])
        XCTAssertEqual(s.homeDir, "/home/ann")
        XCTAssertEqual(s.searchPath, "/usr/bin:/bin")
        XCTAssertEqual(s.zshDotDir, "/home/ann/.config/zsh")
        XCTAssertEqual(s.configDir, "/xdg/config")
        let defaults = settings(["HOME": "/home/ann", "ZDOTDIR": "", "XDG_CONFIG_HOME": ""])
        XCTAssertNil(defaults.searchPath, "PATH unset: nothing is on it")
        XCTAssertNil(defaults.zshDotDir, "an empty ZDOTDIR counts as unset, as zsh takes it")
        XCTAssertEqual(defaults.configDir, "/home/ann/.config")
        XCTAssertEqual(settings(["HOME": "/home/ann", "ZDOTDIR": "zdot"]).zshDotDir, "/work/project/zdot")
        let emptyHome = settings(["HOME": ""])
        XCTAssertEqual(emptyHome.homeDir, URL(fileURLWithPath: ProcessEnvironment.passwordHome()).standardizedFileURL.path,
                       "an empty HOME is unset, never the current folder")
        XCTAssertEqual(emptyHome.binDir, URL(fileURLWithPath: ProcessEnvironment.passwordHome()).appendingPathComponent(".local/bin").path)
    }

    func testWithoutHomeThePasswordDatabaseIsAsked() {
        let s = settings([:])
        XCTAssertEqual(s.binDir, URL(fileURLWithPath: ProcessEnvironment.passwordHome()).appendingPathComponent(".local/bin").path)
    }

    func testPreferences() throws {
        XCTAssertEqual(try PythonPreference(parsing: "only-system"), .onlySystem)
        XCTAssertEqual(try PythonPreference(parsing: "Managed"), .managed)
        XCTAssertThrowsError(try PythonPreference(parsing: "installed"))
        XCTAssertTrue(PythonPreference.system.systemFirst && PythonPreference.system.allowsManaged)
        XCTAssertFalse(PythonPreference.onlyManaged.allowsSystem)
        XCTAssertThrowsError(try settings(["HOME": "/home/ann", "PYMAN_PYTHON_PREFERENCE": "sometimes"]).validate()) { error in
            XCTAssertEqual("\(error)", "PYMAN_PYTHON_PREFERENCE='sometimes' is not a preference; use managed, only-managed, system or only-system")
        }
    }
}
