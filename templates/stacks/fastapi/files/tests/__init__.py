# Makes tests a package, so test modules can import helpers from tests.conftest.
