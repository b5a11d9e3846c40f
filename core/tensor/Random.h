#pragma once
// A seeded generator whose streams are identical on every platform and standard library
// (std::normal_distribution is not), so the demo model and random rotations are reproducible.
#include <cmath>
#include <cstdint>
#include <numbers>
#include <random>

namespace salience {

class Rng {
public:
    explicit Rng(uint64_t seed) : m_engine(seed) {}

    // Uniform in [0, 1) with 53 random bits.
    double uniform() { return double(m_engine() >> 11) * 0x1.0p-53; }

    // Uniform integer in [0, n).
    uint64_t below(uint64_t n) { return n == 0 ? 0 : uint64_t(uniform() * double(n)) % n; }

    // Standard normal by Box-Muller (both values used).
    double normal()
    {
        if (m_hasSpare) {
            m_hasSpare = false;
            return m_spare;
        }
        double u1 = 0;
        while (u1 <= 0)
            u1 = uniform();
        const double u2 = uniform();
        const double r = std::sqrt(-2.0 * std::log(u1));
        m_spare = r * std::sin(2 * std::numbers::pi * u2);
        m_hasSpare = true;
        return r * std::cos(2 * std::numbers::pi * u2);
    }

    // Student's t with nu degrees of freedom (integer nu): heavy tails for small nu.
    double studentT(int nu)
    {
        double chi2 = 0;
        for (int i = 0; i < nu; ++i) {
            const double z = normal();
            chi2 += z * z;
        }
        return normal() / std::sqrt(chi2 / nu);
    }

    double sign() { return (m_engine() >> 63) ? 1.0 : -1.0; }

private:
    std::mt19937_64 m_engine;
    bool m_hasSpare = false;
    double m_spare = 0;
};

} // namespace salience
