import Core

/// Until the index's messages are PymanErrors themselves (the structure change in progress).
public typealias IndexError = PymanError
