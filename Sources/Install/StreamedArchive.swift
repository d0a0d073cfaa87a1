import Download
import Extract

/// One archive streamed into a folder: what the download was (size, sha256) and what extraction found.
struct StreamedArchive {
    var download: DownloadResult
    var extracted: ExtractSummary
}
