// swift-tools-version:6.0
import PackageDescription

// One module per concern; `pyman` is a thin CLI over them.
// Patching is its own dependency-free target: the sysconfig and venv-home patches are pure text
// transforms, unit-tested and fuzzed without any network or archive code around them.
let package = Package(
    name: "pyman",
    platforms: [.macOS(.v13)],
    products: [.executable(name: "pyman", targets: ["pyman"])],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.0"),
    ],
    targets: [
        // libcurl and libarchive are opened with dlopen on first use, not linked (Sources/CLazyLoad says
        // why); their headers come from Debian's libcurl4-openssl-dev and libarchive-dev.
        .target(name: "CLazyLoad"),
        .target(name: "CCurl", dependencies: ["CLazyLoad"]),
        .target(name: "CArchive", dependencies: ["CLazyLoad"]),
        .target(name: "Catalogue"),
        .target(name: "Patching"),
        .target(name: "Download", dependencies: ["CCurl", .product(name: "Crypto", package: "swift-crypto")]),
        .target(name: "Extract", dependencies: ["CArchive"]),
        .target(name: "Index", dependencies: ["Catalogue"]),
        .target(name: "Venv", dependencies: ["CArchive", .product(name: "Crypto", package: "swift-crypto")]),
        .target(name: "Install", dependencies: ["Catalogue", "Download", "Extract", "Index", "Patching", "Venv"]),
        .executableTarget(name: "pyman", dependencies: [
            "Catalogue", "Index", "Install", "Venv",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .testTarget(name: "CatalogueTests", dependencies: ["Catalogue"]),
        .testTarget(name: "PatchingTests", dependencies: ["Patching"]),
        .testTarget(name: "DownloadTests", dependencies: ["Download"]),
        .testTarget(name: "ExtractTests", dependencies: ["Extract"]),
        .testTarget(name: "IndexTests", dependencies: ["Index", "Catalogue"]),
        .testTarget(name: "VenvTests", dependencies: ["Venv"]),
        .testTarget(name: "EndToEndTests", dependencies: []),
    ],
    swiftLanguageModes: [.v5]
)
