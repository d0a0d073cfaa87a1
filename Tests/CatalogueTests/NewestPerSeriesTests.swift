import XCTest
@testable import Catalogue

final class NewestPerSeriesTests: XCTestCase {
    func testOneNewestBuildPerMinorVariantAndPlatform() {
        let keys = ["cpython-3.13.5-linux-x86_64-gnu", "cpython-3.13.15-linux-x86_64-gnu", "cpython-3.13.9-linux-x86_64-gnu",
                    "cpython-3.13.2+freethreaded-linux-x86_64-gnu", "cpython-3.13.1-linux-x86_64-musl", "cpython-3.14.0rc2-linux-x86_64-gnu",
                    "cpython-3.14.0-linux-x86_64-gnu"].compactMap(PythonKey.init)
        let newest = NewestPerSeries.select(keys) { $0 }.mapValues(\.description)
        XCTAssertEqual(newest, [
            "cpython-3.13-linux-x86_64-gnu": "cpython-3.13.15-linux-x86_64-gnu",
            "cpython-3.13+freethreaded-linux-x86_64-gnu": "cpython-3.13.2+freethreaded-linux-x86_64-gnu",
            "cpython-3.13-linux-x86_64-musl": "cpython-3.13.1-linux-x86_64-musl",
            "cpython-3.14-linux-x86_64-gnu": "cpython-3.14.0-linux-x86_64-gnu",
        ])
    }

    func testTheFirstOfEqualVersionsIsKept() {
        let keys = ["cpython-3.13.5-linux-x86_64-gnu", "cpython-3.13.5-linux-x86_64-gnu"].compactMap(PythonKey.init)
        let tagged = Array(zip(keys, ["first", "second"]))
        XCTAssertEqual(NewestPerSeries.select(tagged) { $0.0 }.values.map(\.1), ["first"])
    }
}
