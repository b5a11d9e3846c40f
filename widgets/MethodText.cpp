#include "MethodText.h"

#include <QCoreApplication>

namespace salience::widgets {

namespace {
constexpr const char* kContext = "MethodRegistry";

// Not called: it only shows lupdate the registry's strings: every method's title, description and
// parameter descriptions (core/quant/MethodRegistry.cpp and each method's *MethodInfo()).
[[maybe_unused]] const char* const kRegistryTexts[] = {
    // none
    QT_TRANSLATE_NOOP("MethodRegistry", "Full precision"),
    QT_TRANSLATE_NOOP("MethodRegistry",
                      "Keeps the layer's weights as they are. Use it for layers too sensitive to quantize."),
    // rtn
    QT_TRANSLATE_NOOP("MethodRegistry", "Round to nearest"),
    QT_TRANSLATE_NOOP("MethodRegistry",
                      "Rounds every weight to the nearest point of a uniform grid: one scale (and zero point when "
                      "asymmetric) per group of consecutive input columns, stored as float16. The baseline every other "
                      "method is measured against."),
    // smoothquant
    QT_TRANSLATE_NOOP("MethodRegistry", "SmoothQuant scaling + RTN"),
    QT_TRANSLATE_NOOP("MethodRegistry",
                      "A few input channels of a layer carry activations far larger than the rest, which makes the "
                      "activations hard to quantize. SmoothQuant divides each input channel j by a scale s_j = "
                      "max|X_j|^alpha / max|W_j|^(1-alpha) and multiplies the matching weight column by the same s_j, "
                      "so the layer's output is exactly unchanged before rounding: the difficulty moves from the "
                      "activations to the weights. The scaled weights are then rounded to nearest. alpha = 0.5 splits "
                      "the difficulty evenly; the scales are stored (16 bits per input column) and can be folded into "
                      "the previous layer."),
    QT_TRANSLATE_NOOP("MethodRegistry",
                      "Migration strength: 0 leaves the activations alone, 1 moves all of their range into the weights."),
    // awq
    QT_TRANSLATE_NOOP("MethodRegistry", "AWQ (activation-aware scaling + RTN)"),
    QT_TRANSLATE_NOOP("MethodRegistry",
                      "Not all weights matter equally: the weights that meet large activations shape the output the "
                      "most. AWQ multiplies each input column j of the weight by a scale s_j = (mean|X_j|)^r before "
                      "rounding and divides it back afterwards, so columns that see large activations are rounded more "
                      "finely. The exponent r is searched on a grid from 0 (plain round-to-nearest) towards 1, keeping "
                      "the one whose rounded layer reproduces the layer's output on the calibration tokens best, so it "
                      "is never worse than plain rounding there. An optional clipping search then shrinks each group's "
                      "range a little where that lowers the output error. The scales cost 16 bits per input column."),
    QT_TRANSLATE_NOOP("MethodRegistry", "Number of exponents tried between 0 and 1."),
    QT_TRANSLATE_NOOP("MethodRegistry", "1: also search a clipping range per group; 0: no clipping."),
    // hadamard
    QT_TRANSLATE_NOOP("MethodRegistry", "Hadamard rotation + RTN"),
    QT_TRANSLATE_NOOP("MethodRegistry",
                      "Multiplies the weight by a random orthogonal (Hadamard) matrix before rounding, and would "
                      "multiply the layer's inputs by the same matrix, so the output is exactly unchanged before "
                      "rounding. The rotation mixes every input channel with the others in its block, so one very large "
                      "column is spread out over many: the weights become more even, the grid step shrinks and rounding "
                      "loses less. Where the number of input features is not a power of two, smaller Hadamard blocks "
                      "are used. The random signs come from the recipe's seed; they cost 1 bit per input column. Needs "
                      "no activations."),
    // gptq
    QT_TRANSLATE_NOOP("MethodRegistry", "GPTQ"),
    QT_TRANSLATE_NOOP("MethodRegistry",
                      "Quantizes the input columns one at a time and, after each, nudges the columns not yet quantized "
                      "to cancel its rounding error on the layer's output, using the Hessian H = 2XᵀX/n of the layer's "
                      "inputs X (damped by a small multiple of its mean diagonal). Updates are applied lazily in blocks "
                      "of columns, so the cost is mostly matrix products. Act-order quantizes the columns with the "
                      "largest input energy first; static groups fix every group's scale from the original weights so "
                      "act-order needs no reordering at load time. Rows where plain rounding does better keep it (RTN "
                      "guard). Needs the layer's inputs (or their Gram matrix)."),
    QT_TRANSLATE_NOOP("MethodRegistry", "Damping λ added to H as λ·mean(diag H) on the diagonal"),
    QT_TRANSLATE_NOOP("MethodRegistry", "Columns per lazy-update block"),
    QT_TRANSLATE_NOOP("MethodRegistry", "1: quantize columns by descending diag(H) (act-order)"),
    QT_TRANSLATE_NOOP("MethodRegistry", "1: compute group scales up front from the original weights"),
    QT_TRANSLATE_NOOP("MethodRegistry", "1: rows where plain rounding has the lower output loss keep it"),
    // protect
    QT_TRANSLATE_NOOP("MethodRegistry", "Saliency protection"),
    QT_TRANSLATE_NOOP("MethodRegistry",
                      "Keeps the most salient p% of the weights in full precision (float16, stored as a sparse list) "
                      "and rounds the rest to the grid; the kept weights are left out when each group's scale is "
                      "computed, so a few outliers no longer stretch the grid for their neighbours. Which weights are "
                      "salient is the criterion: svd (size of the weight in the layer's rank-k reconstruction; needs no "
                      "data), awq (|weight| times the norm of its input channel), spqr (rounding error weighted by the "
                      "inverse Hessian, as in SpQR) or magnitude (|weight|). The sparse values and their indices are "
                      "counted in the bits per weight, so criteria compare at equal budgets."),
    QT_TRANSLATE_NOOP("MethodRegistry", "Which weights are kept: svd, awq, spqr or magnitude"),
    QT_TRANSLATE_NOOP("MethodRegistry", "Rank k of the reconstruction the svd criterion scores"),
    // sarqc-gptq
    QT_TRANSLATE_NOOP("MethodRegistry", "SARQC (GPTQ form)"),
    QT_TRANSLATE_NOOP("MethodRegistry",
                      "GPTQ with a saliency penalty: besides keeping the layer's output close, it keeps the weights a "
                      "criterion calls salient (svd, awq, spqr or magnitude) close to their original values, weighted "
                      "by λ. The penalty enters GPTQ's Hessian as extra weight on the diagonal, one value per input "
                      "column (the saliency averaged over the rows, scaled so that λ = 1 weighs it like the data), "
                      "because GPTQ shares one Hessian across all rows. λ = 0 is plain GPTQ. Needs the layer's inputs "
                      "(or their Gram)."),
    QT_TRANSLATE_NOOP("MethodRegistry", "Weight λ of the saliency-weighted drift; 0 gives the plain method"),
    QT_TRANSLATE_NOOP("MethodRegistry", "Which weights are salient: svd, awq, spqr or magnitude"),
    // sarqc-awq
    QT_TRANSLATE_NOOP("MethodRegistry", "SARQC (AWQ form)"),
    QT_TRANSLATE_NOOP("MethodRegistry",
                      "AWQ whose scale and clipping searches minimise the output error plus λ times the "
                      "saliency-weighted drift of the weights, Σ s·(W − Ŵ)², with the saliency from a criterion (svd, "
                      "awq, spqr or magnitude) scaled so that λ = 1 weighs it like the data. Unlike the GPTQ form this "
                      "uses every weight's own score. λ = 0 is plain AWQ. Needs the layer's activations."),
    // qer
    QT_TRANSLATE_NOOP("MethodRegistry", "Quantization error reconstruction"),
    QT_TRANSLATE_NOOP("MethodRegistry",
                      "Rounds the weights to the grid (RTN), then adds a small full-precision correction L·R of rank r "
                      "that captures as much of the rounding error W − Q as r directions can: the truncated SVD of the "
                      "error. With scaling 'diag' or 'whiten' the error is first weighted by how strongly each input "
                      "channel is used (per-channel RMS, or the full whitening of the inputs' correlations), so the "
                      "rank is spent where it reduces the layer's OUTPUT error most. L and R are stored in float16 and "
                      "add 16·r·(out+in) bits."),
    QT_TRANSLATE_NOOP("MethodRegistry",
                      "How the error is weighted before the SVD: none (weight error), diag (per-channel RMS of the "
                      "inputs), whiten (Cholesky factor of XᵀX/n)"),
    // srr
    QT_TRANSLATE_NOOP("MethodRegistry", "Structured residual reconstruction"),
    QT_TRANSLATE_NOOP("MethodRegistry",
                      "Splits the rank budget r in two. First it keeps the k strongest directions of the "
                      "activation-scaled weight (its top singular vectors) in full precision, because rounding would "
                      "damage them most; then it rounds only what is left (RTN) and spends the remaining r − k ranks on "
                      "the rounding error of that rest, like QER. With k = 0 it is QER. k is chosen either by a cheap "
                      "prediction from the rounding step sizes (paper; an energy-based stand-in for the criterion of "
                      "the SRR paper) or by trying every k and keeping the best (search; r + 1 SVDs). L and R, "
                      "preserved and corrective directions together, are stored in float16: 16·r·(out+in) bits."),
    QT_TRANSLATE_NOOP("MethodRegistry",
                      "How the weight and the error are weighted before their SVDs: none, diag (per-channel RMS of the "
                      "inputs), whiten (Cholesky factor of XᵀX/n)"),
    QT_TRANSLATE_NOOP("MethodRegistry",
                      "How the preserved rank k is chosen: paper (predicted from rounding step sizes, one SVD) or "
                      "search (every k = 0..r tried exactly)"),
    // asvd
    QT_TRANSLATE_NOOP("MethodRegistry", "Activation-aware SVD (low rank alone)"),
    QT_TRANSLATE_NOOP("MethodRegistry",
                      "Replaces the weight by a product of two thin matrices L·R of rank r, with no quantized base at "
                      "all: the truncated SVD of the weight after scaling each input channel by how strongly it is "
                      "used. With scaling 'diag' (ASVD) channel j is scaled by mean|x_j|^alpha; with 'whiten' (SVD-LLM) "
                      "by the full whitening of the inputs' correlations, which gives the smallest output error any "
                      "rank-r matrix can; 'none' is the plain truncated SVD. L and R take 16·r·(out+in) bits, so this "
                      "pays off only at small ranks. With quantize_factors L and R are rounded to the grid too (counted "
                      "at 16 bits until the result type can hold quantized factors; the honest count is recorded)."),
    QT_TRANSLATE_NOOP("MethodRegistry",
                      "How input channels are weighted before the SVD: none (plain truncated SVD), diag (ASVD: "
                      "mean|x|^alpha), whiten (SVD-LLM: Cholesky factor of XᵀX/n)"),
    QT_TRANSLATE_NOOP("MethodRegistry", "Exponent of the diagonal scaling mean|x_j|^alpha (0 = plain SVD)"),
    QT_TRANSLATE_NOOP("MethodRegistry", "1: round L and R themselves to the grid (RTN), 0: keep them in float16"),
    // kmeans
    QT_TRANSLATE_NOOP("MethodRegistry", "K-means look-up table"),
    QT_TRANSLATE_NOOP("MethodRegistry",
                      "Non-uniform quantization in the manner of SqueezeLLM: every output row gets its own table of "
                      "2^bits values (float16), placed by k-means on the row's weights, and each weight stores the "
                      "index of its nearest table entry. Where the weights crowd (near zero) the entries crowd too, so "
                      "typical weights are reproduced more finely than on an evenly spaced grid. When activations are "
                      "known, each weight's error counts in proportion to its input channel's mean square (the stand-in "
                      "here for SqueezeLLM's Fisher information), so the table favours the weights the output is most "
                      "sensitive to. Only the number of bits applies; group size and symmetry do not. Costs 16 bits per "
                      "table entry per row on top of the codes."),
    QT_TRANSLATE_NOOP("MethodRegistry", "Most Lloyd iterations per row (stops earlier when nothing changes)"),
    QT_TRANSLATE_NOOP("MethodRegistry", "1: weight the fit by the activation second moment when data is present"),
    // prune-magnitude
    QT_TRANSLATE_NOOP("MethodRegistry", "Magnitude pruning"),
    QT_TRANSLATE_NOOP("MethodRegistry",
                      "Sets to zero the weights of smallest absolute value in each output row: the simplest pruning, "
                      "needing no data. Unstructured pruning drops the given share of every row; N:M pruning keeps the "
                      "N largest of every M consecutive weights of a row (2:4 is what sparse tensor cores accelerate). "
                      "With quantize = 1 the surviving weights are then rounded to the grid; otherwise they stay "
                      "float16."),
    QT_TRANSLATE_NOOP("MethodRegistry", "Share of each row's weights to prune (unstructured)"),
    QT_TRANSLATE_NOOP("MethodRegistry", "0: unstructured; else keep N of every M consecutive weights"),
    QT_TRANSLATE_NOOP("MethodRegistry", "M of the N:M pattern"),
    QT_TRANSLATE_NOOP("MethodRegistry", "1: round the kept weights to the grid; 0: keep them in float16"),
    // prune-wanda
    QT_TRANSLATE_NOOP("MethodRegistry", "Wanda pruning"),
    QT_TRANSLATE_NOOP("MethodRegistry",
                      "Wanda (pruning by Weights AND activations): scores each weight by |W_ij| times the norm of its "
                      "input channel over the calibration tokens and drops the lowest scores of each output row. A "
                      "small weight on a channel that carries large activations survives; a larger one on a quiet "
                      "channel may not. Needs the layer's inputs or their statistics. Unstructured pruning drops the "
                      "given share of every row; N:M pruning keeps the N largest of every M consecutive weights of a "
                      "row (2:4 is what sparse tensor cores accelerate). With quantize = 1 the surviving weights are "
                      "then rounded to the grid; otherwise they stay float16."),
    // sparsegpt
    QT_TRANSLATE_NOOP("MethodRegistry", "SparseGPT"),
    QT_TRANSLATE_NOOP("MethodRegistry",
                      "Prunes a layer in one pass while keeping its output close: columns are visited left to right "
                      "and, as GPTQ does for rounding, each pruned weight's loss is compensated by adjusting the "
                      "weights not yet visited, through the Hessian H = 2XᵀX/n of the layer's inputs. Which weights to "
                      "drop is decided block by block from the already-adjusted weights, by how much output error "
                      "dropping each alone would cause. Unstructured (a share of every row) or N:M (2:4); with quantize "
                      "= 1 the kept weights are rounded to the grid in the same pass. Needs the layer's inputs (or "
                      "their Gram matrix)."),
    QT_TRANSLATE_NOOP("MethodRegistry",
                      "Columns whose unstructured mask is chosen at once, from the weights as updated so far"),
};

QString translated(const std::string& text)
{
    return QCoreApplication::translate(kContext, text.c_str());
}
} // namespace

QString methodTitle(const MethodInfo& method) { return translated(method.title); }

QString methodDescription(const MethodInfo& method) { return translated(method.description); }

QString paramDescription(const ParamSpec& param) { return translated(param.description); }

} // namespace salience::widgets
