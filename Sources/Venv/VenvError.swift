import Core

/// Transitional: VenvDoctor.swift, changed in parallel, still spells its failures `VenvError(...)`.
/// Delete this once it throws `PymanError` itself; nothing else uses it.
typealias VenvError = PymanError
