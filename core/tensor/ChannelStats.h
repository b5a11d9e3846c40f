#pragma once
// Per-input-channel statistics of a linear layer's input over the tokens seen: what a layer
// needs when the raw inputs are not kept (AWQ and SmoothQuant scales, saliency, spectra of the
// activation-scaled weight). llama.cpp imatrix files give sum_sq and count only.
#include <cmath>
#include <cstdint>
#include <vector>

namespace salience {

struct ChannelStats {
    std::vector<double> sumSq;  // sum over tokens of x_j^2
    std::vector<double> absMax; // max over tokens of |x_j|; empty when the source has none
    std::vector<double> absSum; // sum over tokens of |x_j|; empty when the source has none
    int64_t count = 0;          // tokens seen

    size_t channels() const { return sumSq.size(); }
    bool hasAbsMax() const { return !absMax.empty(); }
    bool hasAbsSum() const { return !absSum.empty(); }

    // Per-channel RMS: sqrt(sum_sq / count); zeros when count is 0.
    std::vector<double> rms() const
    {
        std::vector<double> r(sumSq.size(), 0.0);
        if (count > 0)
            for (size_t j = 0; j < r.size(); ++j)
                r[j] = std::sqrt(sumSq[j] / double(count));
        return r;
    }

    // Per-channel mean of x² (llama.cpp's importance-matrix entries), in float as ggml's
    // quantizers take it; empty when count is 0.
    std::vector<float> meanSquares() const
    {
        std::vector<float> m;
        if (count > 0)
            for (double s : sumSq)
                m.push_back(float(s / double(count)));
        return m;
    }
};

} // namespace salience
