// swift-tools-version:6.0
import PackageDescription

// One module per concern; `pyman` is a thin CLI over them.
// Patching is its own dependency-free target: the sysconfig and venv-home patches are pure text
// transforms, unit-tested and fuzzed without any network or archive code around them.
// MemberImportVisibility: a module sees only the extensions of modules it imports itself. Without it,
// swift-crypto's own `import Foundation` would let `String(format:)` and friends resolve into Foundation
// proper, which links all of Foundation and its ICU data (Containers/release.sh checks for that).
// swift-system: FilePath, FileDescriptor, Errno and Stat, for Core and for modules that hold descriptors or paths.
let system = Target.Dependency.product(name: "SystemPackage", package: "swift-system")
let strictImports: [SwiftSetting] = [.enableUpcomingFeature("MemberImportVisibility")]

let package = Package(
    name: "pyman",
    platforms: [.macOS(.v15)],
    products: [.executable(name: "pyman", targets: ["pyman"])],
    dependencies: [
        // upToNextMinor: pyman uses its underscored `_superCommandName` (Pyman.parseSubcommandDirectly),
        // which a minor release may change.
        .package(url: "https://github.com/apple/swift-argument-parser", .upToNextMinor(from: "1.8.2")),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.0"),
        .package(url: "https://github.com/apple/swift-system", from: "1.8.1"),
    ],
    targets: [
        // libcurl and libarchive are opened with dlopen on first use, not linked (Sources/CLazyLoad says
        // why); their headers come from Debian's libcurl4-openssl-dev and libarchive-dev.
        .target(name: "CLazyLoad"),
        .target(name: "CCurl", dependencies: ["CLazyLoad"]),
        .target(name: "CArchive", dependencies: ["CLazyLoad"]),
        .target(name: "CIsal", dependencies: ["CLazyLoad"]),
        // glibc symbols that glibc 2.28 lacks and the static Swift/C++ runtimes use, for the release
        // link against 2.28's symbol versions (Containers/release.sh). Empty unless PYMAN_GLIBC_FLOOR is defined.
        .target(name: "CGlibcCompat"),
        // What every module needs of the system beyond FoundationEssentials, and the only module that
        // imports Glibc: files (on swift-system), locks, errors, stderr, threads, child processes, text.
        // pyman imports FoundationEssentials only, never Foundation.
        .target(name: "Core", dependencies: [system], swiftSettings: strictImports),
        // Leaf parsers with no pyman types in them: TOML 1.0 syntax (pyproject.toml, and the lock file's
        // strings) and PEP 440 versions and specifiers (requires-python, requests like >=3.12).
        .target(name: "TOML", dependencies: ["Core"], swiftSettings: strictImports),
        .target(name: "PEP440", dependencies: ["Core", "TOML"], swiftSettings: strictImports),
        .target(name: "Catalogue", dependencies: ["Core", "PEP440"], swiftSettings: strictImports),
        .target(name: "Patching", dependencies: ["Core"], swiftSettings: strictImports),
        .target(name: "Download", dependencies: ["Core", "CCurl", .product(name: "Crypto", package: "swift-crypto")], swiftSettings: strictImports),
        .target(name: "Extract", dependencies: ["Core", "CArchive", "CIsal", system], swiftSettings: strictImports),
        // Settings (the environment, read once) and the Python preference: what every command is given.
        // VERSION and the commit, compiled in by the BuildInfo plugin (Plugins/BuildInfo), for `--version`.
        .target(name: "Configuration", dependencies: ["Core", "Catalogue", "Download"], swiftSettings: strictImports,
                plugins: ["BuildInfo"]),
        .target(name: "ManagedPythons", dependencies: ["Core", "Catalogue", "Configuration", system], swiftSettings: strictImports),
        .target(name: "Shell", dependencies: ["Core", system], swiftSettings: strictImports),
        .target(name: "Interpreters", dependencies: ["Core", "Catalogue", "Configuration", "ManagedPythons", "Patching", system,
                                                    .product(name: "Crypto", package: "swift-crypto")], swiftSettings: strictImports),
        .target(name: "Project", dependencies: ["Core", "Catalogue", "TOML", "PEP440", "Configuration", system], swiftSettings: strictImports),
        .target(name: "CatalogueStore", dependencies: ["Core", "Catalogue", "Download", "Configuration", system], swiftSettings: strictImports),
        // The activation scripts are template files (so shellcheck reads them), compiled into the binary as
        // byte arrays (`PackageResources`): no resource bundle, no Foundation `Bundle`.
        .target(name: "Venv", dependencies: ["Core", "Extract", "Interpreters", "Shell", system, .product(name: "Crypto", package: "swift-crypto")],
                resources: [.embedInCode("Activators")], swiftSettings: strictImports),
        // The venvs pyman made or was shown, in the data dir: what uninstall checks and `pyman venvs` lists.
        .target(name: "VenvRegistry", dependencies: ["Core", system], swiftSettings: strictImports),
        .target(name: "Install", dependencies: ["Core", "Catalogue", "Download", "Extract", "ManagedPythons", "Patching", "Venv", "VenvRegistry", "Configuration",
                                               "Shell", "Interpreters", "Project", "CatalogueStore", "PEP440", system], swiftSettings: strictImports),
        .plugin(name: "BuildInfo", capability: .buildTool()),
        .executableTarget(name: "pyman", dependencies: [
            "Core", "Catalogue", "ManagedPythons", "Install", "Venv", "VenvRegistry", "Configuration", "Shell", "Interpreters", "Project", "CatalogueStore", "CGlibcCompat",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], swiftSettings: strictImports),
        // What the test targets share: scratch folders, running programs, the fixture server (serve.py),
        // the fixtures' paths, the check of a refusal's one line. No pyman module but Core (for PymanError):
        // end-to-end tests see pyman only as a binary.
        .target(name: "TestSupport", dependencies: ["Core"], path: "Tests/TestSupport"),
        // What unit tests of the modules that take Settings share: settings rooted in a scratch folder on a
        // fixed platform, and keys and catalogues built in the test. Apart from TestSupport, which stays
        // free of pyman's modules for the end-to-end tests.
        .target(name: "UnitTestSupport", dependencies: ["Catalogue", "Configuration", "Core", "TestSupport"], path: "Tests/UnitTestSupport"),
        .testTarget(name: "CoreTests", dependencies: ["Core", "CLazyLoad", "TestSupport", system]),
        .testTarget(name: "CatalogueTests", dependencies: ["Catalogue"]),
        // Differential/: the Python side of DifferentialTests (tomllib, and packaging for PEP 440).
        .testTarget(name: "TOMLTests", dependencies: ["TOML", "PEP440", "Project", "Catalogue", "Core", "TestSupport"], exclude: ["Differential"]),
        .testTarget(name: "PEP440Tests", dependencies: ["PEP440", "Project", "Catalogue"]),
        .testTarget(name: "ProjectTests", dependencies: ["Project", "TOML", "Catalogue", "Core", "TestSupport", "UnitTestSupport"]),
        .testTarget(name: "ConfigurationTests", dependencies: ["Configuration", "Catalogue", "CatalogueStore", "Core"]),
        .testTarget(name: "ShellTests", dependencies: ["Shell", "Core", "TestSupport", system]),
        .testTarget(name: "InterpretersTests", dependencies: ["Interpreters", "Configuration", "Core", "TestSupport", "UnitTestSupport"]),
        .testTarget(name: "CatalogueStoreTests", dependencies: ["CatalogueStore", "Catalogue", "UnitTestSupport"]),
        .testTarget(name: "PatchingTests", dependencies: ["Patching", "TestSupport"]),
        .testTarget(name: "DownloadTests", dependencies: ["Download", "TestSupport"]),
        .testTarget(name: "ExtractTests", dependencies: ["Extract", "Core", "TestSupport", system]),
        .testTarget(name: "ManagedPythonsTests", dependencies: ["ManagedPythons", "Catalogue", "TestSupport"]),
        .testTarget(name: "VenvTests", dependencies: ["Venv", "Core", "Shell", "TestSupport"]),
        .testTarget(name: "VenvRegistryTests", dependencies: ["VenvRegistry", "Core"]),
        .testTarget(name: "InstallTests", dependencies: ["Install", "Catalogue", "ManagedPythons", "Core", "Download", "Extract", "Shell", "Project",
                                                        "TestSupport", "UnitTestSupport", system]),
        .testTarget(name: "EndToEndTests", dependencies: ["TestSupport"]),
    ],
    swiftLanguageModes: [.v5]
)
