import XCTest
@testable import CatalogueStore

final class CatalogueTTLTests: XCTestCase {
    func testDurationsAndNever() throws {
        XCTAssertEqual(try CatalogueTTL(parsing: nil), .seconds(86400))
        XCTAssertEqual(try CatalogueTTL(parsing: ""), .seconds(86400))
        XCTAssertEqual(try CatalogueTTL(parsing: "0"), .seconds(0))
        XCTAssertEqual(try CatalogueTTL(parsing: "3600"), .seconds(3600))
        XCTAssertEqual(try CatalogueTTL(parsing: "90s"), .seconds(90))
        XCTAssertEqual(try CatalogueTTL(parsing: "30m"), .seconds(1800))
        XCTAssertEqual(try CatalogueTTL(parsing: " 24H "), .seconds(86400))
        XCTAssertEqual(try CatalogueTTL(parsing: "7d"), .seconds(604_800))
        XCTAssertEqual(try CatalogueTTL(parsing: "Never"), .never)
    }

    func testNonsenseIsOneLineNamingTheVariable() {
        for text in ["abc", "-5", "1.5h", "h", "10w", "9999999999", "٣"] {
            XCTAssertThrowsError(try CatalogueTTL(parsing: text), text) { error in
                XCTAssertTrue("\(error)".hasPrefix("PYMAN_CATALOGUE_TTL="), "\(error)")
                XCTAssertTrue("\(error)".contains("never"), "\(error)")
            }
        }
    }

    func testFreshness() {
        let day = CatalogueTTL.standard
        XCTAssertFalse(day.isDue(fetched: 1000, now: 1000 + 86399))
        XCTAssertTrue(day.isDue(fetched: 1000, now: 1000 + 86400))
        XCTAssertTrue(day.isDue(fetched: 5000, now: 1000), "fetched in the future: the clock moved, so fetch again")
        XCTAssertTrue(CatalogueTTL.seconds(0).isDue(fetched: 1000, now: 1000))
        XCTAssertFalse(CatalogueTTL.never.isDue(fetched: 0, now: Int.max))
    }
}
