// The activation scripts' templates (Sources/Venv/Activators, compiled in with SwiftPM's embedInCode) and
// the filling of their placeholders. What the filled scripts do in the shells is ActivatorTests' part.
import XCTest
@testable import Venv

final class ActivatorTemplateTests: XCTestCase {
    func testFillsEachPlaceholderOnceAndNeverLooksIntoValues() {
        let template = Array("a=__PYMAN_A__ b=__PYMAN_B__ again=__PYMAN_A__ __PYMAN_\n".utf8)
        let filled = ActivatorTemplate.fill(template, ["A": "__PYMAN_B__", "B": "é'$"])
        XCTAssertEqual(filled, "a=__PYMAN_B__ b=é'$ again=__PYMAN_B__ __PYMAN_\n")
    }

    func testEveryTemplatePlaceholderIsFilled() throws {
        for (name, text) in try Activators.texts(venvPath: "/srv/api", prompt: "api") {
            XCTAssertFalse(text.contains("__PYMAN_"), "\(name) still holds a placeholder")
            XCTAssertTrue(text.contains("/srv/api"), "\(name) names the venv")
        }
    }

    func testAPathOrPromptShapedLikeAPlaceholderStaysAsTyped() throws {
        let texts = try Activators.texts(venvPath: "/srv/__PYMAN_PROMPT__", prompt: "__PYMAN_VENV__")
        let posix = try XCTUnwrap(texts["activate"])
        XCTAssertTrue(posix.contains("\nVIRTUAL_ENV='/srv/__PYMAN_PROMPT__'\n"), posix)
        XCTAssertTrue(posix.contains("\nVIRTUAL_ENV_PROMPT='__PYMAN_VENV__'\n"), posix)
    }
}
