import Core
import XCTest

/// What the lock, pyproject and TOML tests check of every refusal: one PymanError, one line, starting with
/// `prefix` (`pyman.lock line 3: `), containing `problem`, with a hint (`hint` exactly, when given).
@discardableResult
public func assertRefusal<T>(_ parse: () throws -> T, prefix: String, _ problem: String, hint: String? = nil,
                      file: StaticString, line: UInt) -> PymanError? {
    do {
        let parsed = try parse()
        XCTFail("parsed, expected a refusal containing \(problem): \(parsed)", file: file, line: line)
        return nil
    } catch let error as PymanError {
        XCTAssertTrue(error.message.hasPrefix(prefix), "\(error.message) should start with \(prefix)", file: file, line: line)
        XCTAssertTrue(error.message.contains(problem), "\(error.message) should contain \(problem)", file: file, line: line)
        if let hint { XCTAssertEqual(error.hint, hint, file: file, line: line) } else { XCTAssertNotNil(error.hint, file: file, line: line) }
        XCTAssertFalse(error.description.contains("\n"), "one line: \(error.description)", file: file, line: line)
        return error
    } catch {
        XCTFail("not a PymanError: \(error)", file: file, line: line)
        return nil
    }
}
