#pragma once
// Errors a person can act on. Every failure that comes from input (a file, a plan, an option)
// is an InputError that names where the problem is and what it is.
#include <stdexcept>
#include <string>

namespace salience {

class Error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Bad input: "<source>: <problem>". `source` is a file path, a plan entry or an option name.
class InputError : public Error {
public:
    InputError(std::string source, std::string problem)
        : Error(source.empty() ? problem : source + ": " + problem),
          m_source(std::move(source)), m_problem(std::move(problem)) {}
    const std::string& source() const { return m_source; }
    const std::string& problem() const { return m_problem; }

private:
    std::string m_source;
    std::string m_problem;
};

// Thrown by long work when its Progress was cancelled; callers discard partial results.
class CancelledError : public Error {
public:
    CancelledError() : Error("cancelled") {}
};

} // namespace salience
