import XCTest
@testable import Core

final class CacheLayoutTests: XCTestCase {
    func testEachBucketIsVersioned() {
        let layout = CacheLayout(root: "/c")
        XCTAssertEqual([layout.downloads, layout.wheels, layout.interpreters, layout.catalogue],
                       ["/c/downloads-v1", "/c/wheels-v1", "/c/interpreters-v1", "/c/catalogue-v1"])
        for bucket in CacheLayout.Bucket.allCases {
            XCTAssertTrue(bucket.rawValue.hasPrefix(bucket.stem + "-v"), bucket.rawValue)
        }
    }

    func testRetiredBucketsAreTheUnversionedNamesAndOtherVersions() {
        for name in ["downloads", "wheels", "interpreters", "catalogue", "downloads-v0", "wheels-v6", "catalogue-v12"] {
            XCTAssertTrue(CacheLayout.isRetiredBucket(name), name)
        }
        for name in ["downloads-v1", "wheels-v1", "interpreters-v1", "catalogue-v1", "downloads-v", "downloads-vx",
                     "downloads-v1.tmp", "notes", ".lock", "catalogues", "wheels-v٣"] {
            XCTAssertFalse(CacheLayout.isRetiredBucket(name), name)
        }
    }
}
