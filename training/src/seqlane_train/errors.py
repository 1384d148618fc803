"""One root error for the package; subclasses carry the context a reader needs."""

from __future__ import annotations


class SeqlaneTrainError(Exception):
    """Root error. `retriable` is False for everything here: bad inputs do not fix themselves."""

    retriable = False

    def __init__(self, message: str, *, cause: BaseException | None = None) -> None:
        super().__init__(message)
        self.__cause__ = cause


class ManifestError(SeqlaneTrainError):
    """A manifest violates docs/manifest.md; `field` is the JSON path of the bad value."""

    def __init__(self, field: str, problem: str, expected: str) -> None:
        super().__init__(f"manifest {field}: {problem} (expected {expected})")
        self.field = field


class SamplesError(SeqlaneTrainError):
    """A sample directory violates docs/samples.md; `path` names the file."""

    def __init__(self, path: str, problem: str) -> None:
        super().__init__(f"samples {path}: {problem}")
        self.path = path


class OptionsError(SeqlaneTrainError):
    """A fit option is out of range or contradicts another one; `option` names the flag."""

    def __init__(self, option: str, problem: str, expected: str) -> None:
        super().__init__(f"option {option}: {problem} (expected {expected})")
        self.option = option
