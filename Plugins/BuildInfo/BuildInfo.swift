import Foundation
import PackagePlugin

/// Generates BuildInfo.swift for the Configuration module: the version from the repository's VERSION
/// file (the one place it is written) and the commit the build is made from (`git log -1`), so
/// `pyman --version` names both in every build: plain `swift build`, `make release`, the aarch64 cross
/// build. A build command (not a prebuild one) because it runs a system program (/bin/sh); SwiftPM reruns
/// it when an input changes: VERSION, and git's HEAD log, which every commit, checkout and reset appends to.
@main
struct BuildInfo: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let root = context.package.directoryURL
        let output = context.pluginWorkDirectoryURL.appending(path: "BuildInfo.swift")
        var inputs = [root.appending(path: "VERSION"), root.appending(path: "Plugins/BuildInfo/build-info.sh")]
        // A source tree without git (an unpacked tarball) has only VERSION; its commit reads "unknown".
        for gitFile in [".git/HEAD", ".git/logs/HEAD"] where FileManager.default.fileExists(atPath: root.appending(path: gitFile).path) {
            inputs.append(root.appending(path: gitFile))
        }
        return [.buildCommand(displayName: "Generating BuildInfo.swift from VERSION and git",
                              executable: URL(fileURLWithPath: "/bin/sh"),
                              arguments: [root.appending(path: "Plugins/BuildInfo/build-info.sh").path, root.path, output.path],
                              inputFiles: inputs, outputFiles: [output])]
    }
}
