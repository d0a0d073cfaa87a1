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
    /// first and the catalogue's GitHub URL second; a list the user sets is the whole list.
    func testSeveralMirrorsInOrderAndTheDefaultOrder() {
        let github = Catalogue.upstreamPrefix + "/20250723/a.tar.gz"
        let catalogue = Catalogue(entries: [CatalogueEntry(key: PythonKey("cpython-3.13.5-linux-x86_64-gnu")!, url: github, sha256: nil, build: nil)])
        let listed = settings(["HOME": "/h", "PYMAN_PYTHON_MIRROR": " http://a/m/, https://u:t@b/m\thttp://c/m "])
        XCTAssertEqual(listed.mirrors, ["http://a/m/", "https://u:t@b/m", "http://c/m"])
        let mirrored = listed.mirrored(catalogue).entries[0]
        XCTAssertEqual([mirrored.url] + mirrored.fallbackURLs, ["http://a/m/20250723/a.tar.gz", "https://u:t@b/m/20250723/a.tar.gz", "http://c/m/20250723/a.tar.gz"],
                       "a list the user sets is the whole list")
        let byDefault = settings(["HOME": "/h"]).mirrored(catalogue).entries[0]
        XCTAssertEqual([byDefault.url] + byDefault.fallbackURLs,
                       ["https://releases.astral.sh/github/python-build-standalone/releases/download/20250723/a.tar.gz", github])
        XCTAssertEqual(settings(["HOME": "/h", "PYMAN_PYTHON_MIRROR": " , "]).mirrors, [])
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
