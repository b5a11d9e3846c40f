<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en">
<context>
    <name>MethodRegistry</name>
    <message>
        <location filename="../widgets/MethodText.cpp" line="14"/>
        <source>Full precision</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/MethodText.cpp" line="15"/>
        <source>Keeps the layer&apos;s weights as they are. Use it for layers too sensitive to quantize.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/MethodText.cpp" line="18"/>
        <source>Round to nearest</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/MethodText.cpp" line="19"/>
        <source>Rounds every weight to the nearest point of a uniform grid: one scale (and zero point when asymmetric) per group of consecutive input columns, stored as float16. The baseline every other method is measured against.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/MethodText.cpp" line="24"/>
        <source>SmoothQuant scaling + RTN</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/MethodText.cpp" line="25"/>
        <source>A few input channels of a layer carry activations far larger than the rest, which makes the activations hard to quantize. SmoothQuant divides each input channel j by a scale s_j = max|X_j|^alpha / max|W_j|^(1-alpha) and multiplies the matching weight column by the same s_j, so the layer&apos;s output is exactly unchanged before rounding: the difficulty moves from the activations to the weights. The scaled weights are then rounded to nearest. alpha = 0.5 splits the difficulty evenly; the scales are stored (16 bits per input column) and can be folded into the previous layer.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/MethodText.cpp" line="33"/>
        <source>Migration strength: 0 leaves the activations alone, 1 moves all of their range into the weights.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/MethodText.cpp" line="36"/>
        <source>AWQ (activation-aware scaling + RTN)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/MethodText.cpp" line="37"/>
        <source>Not all weights matter equally: the weights that meet large activations shape the output the most. AWQ multiplies each input column j of the weight by a scale s_j = (mean|X_j|)^r before rounding and divides it back afterwards, so columns that see large activations are rounded more finely. The exponent r is searched on a grid from 0 (plain round-to-nearest) towards 1, keeping the one whose rounded layer reproduces the layer&apos;s output on the calibration tokens best, so it is never worse than plain rounding there. An optional clipping search then shrinks each group&apos;s range a little where that lowers the output error. The scales cost 16 bits per input column.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/MethodText.cpp" line="45"/>
        <source>Number of exponents tried between 0 and 1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/MethodText.cpp" line="46"/>
        <source>1: also search a clipping range per group; 0: no clipping.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/MethodText.cpp" line="48"/>
        <source>Hadamard rotation + RTN</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/MethodText.cpp" line="49"/>
        <source>Multiplies the weight by a random orthogonal (Hadamard) matrix before rounding, and would multiply the layer&apos;s inputs by the same matrix, so the output is exactly unchanged before rounding. The rotation mixes every input channel with the others in its block, so one very large column is spread out over many: the weights become more even, the grid step shrinks and rounding loses less. Where the number of input features is not a power of two, smaller Hadamard blocks are used. The random signs come from the recipe&apos;s seed; they cost 1 bit per input column. Needs no activations.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/MethodText.cpp" line="58"/>
        <source>GPTQ</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/MethodText.cpp" line="59"/>
        <source>Quantizes the input columns one at a time and, after each, nudges the columns not yet quantized to cancel its rounding error on the layer&apos;s output, using the Hessian H = 2XᵀX/n of the layer&apos;s inputs X (damped by a small multiple of its mean diagonal). Updates are applied lazily in blocks of columns, so the cost is mostly matrix products. Act-order quantizes the columns with the largest input energy first; static groups fix every group&apos;s scale from the original weights so act-order needs no reordering at load time. Rows where plain rounding does better keep it (RTN guard). Needs the layer&apos;s inputs (or their Gram matrix).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/MethodText.cpp" line="67"/>
        <source>Damping λ added to H as λ·mean(diag H) on the diagonal</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/MethodText.cpp" line="68"/>
        <source>Columns per lazy-update block</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/MethodText.cpp" line="69"/>
        <source>1: quantize columns by descending diag(H) (act-order)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/MethodText.cpp" line="70"/>
        <source>1: compute group scales up front from the original weights</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/MethodText.cpp" line="71"/>
        <source>1: rows where plain rounding has the lower output loss keep it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/MethodText.cpp" line="73"/>
        <source>Saliency protection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/MethodText.cpp" line="74"/>
        <source>Keeps the most salient p% of the weights in full precision (float16, stored as a sparse list) and rounds the rest to the grid; the kept weights are left out when each group&apos;s scale is computed, so a few outliers no longer stretch the grid for their neighbours. Which weights are salient is the criterion: svd (size of the weight in the layer&apos;s rank-k reconstruction; needs no data), awq (|weight| times the norm of its input channel), spqr (rounding error weighted by the inverse Hessian, as in SpQR) or magnitude (|weight|). The sparse values and their indices are counted in the bits per weight, so criteria compare at equal budgets.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/MethodText.cpp" line="82"/>
        <source>Which weights are kept: svd, awq, spqr or magnitude</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/MethodText.cpp" line="83"/>
        <source>Rank k of the reconstruction the svd criterion scores</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/MethodText.cpp" line="85"/>
        <source>SARQC (GPTQ form)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/MethodText.cpp" line="86"/>
        <source>GPTQ with a saliency penalty: besides keeping the layer&apos;s output close, it keeps the weights a criterion calls salient (svd, awq, spqr or magnitude) close to their original values, weighted by λ. The penalty enters GPTQ&apos;s Hessian as extra weight on the diagonal, one value per input column (the saliency averaged over the rows, scaled so that λ = 1 weighs it like the data), because GPTQ shares one Hessian across all rows. λ = 0 is plain GPTQ. Needs the layer&apos;s inputs (or their Gram).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/MethodText.cpp" line="93"/>
        <source>Weight λ of the saliency-weighted drift; 0 gives the plain method</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/MethodText.cpp" line="94"/>
        <source>Which weights are salient: svd, awq, spqr or magnitude</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/MethodText.cpp" line="96"/>
        <source>SARQC (AWQ form)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/MethodText.cpp" line="97"/>
        <source>AWQ whose scale and clipping searches minimise the output error plus λ times the saliency-weighted drift of the weights, Σ s·(W − Ŵ)², with the saliency from a criterion (svd, awq, spqr or magnitude) scaled so that λ = 1 weighs it like the data. Unlike the GPTQ form this uses every weight&apos;s own score. λ = 0 is plain AWQ. Needs the layer&apos;s activations.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/MethodText.cpp" line="103"/>
        <source>Quantization error reconstruction</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/MethodText.cpp" line="104"/>
        <source>Rounds the weights to the grid (RTN), then adds a small full-precision correction L·R of rank r that captures as much of the rounding error W − Q as r directions can: the truncated SVD of the error. With scaling &apos;diag&apos; or &apos;whiten&apos; the error is first weighted by how strongly each input channel is used (per-channel RMS, or the full whitening of the inputs&apos; correlations), so the rank is spent where it reduces the layer&apos;s OUTPUT error most. L and R are stored in float16 and add 16·r·(out+in) bits.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/MethodText.cpp" line="111"/>
        <source>How the error is weighted before the SVD: none (weight error), diag (per-channel RMS of the inputs), whiten (Cholesky factor of XᵀX/n)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/MethodText.cpp" line="115"/>
        <source>Structured residual reconstruction</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/MethodText.cpp" line="116"/>
        <source>Splits the rank budget r in two. First it keeps the k strongest directions of the activation-scaled weight (its top singular vectors) in full precision, because rounding would damage them most; then it rounds only what is left (RTN) and spends the remaining r − k ranks on the rounding error of that rest, like QER. With k = 0 it is QER. k is chosen either by a cheap prediction from the rounding step sizes (paper; an energy-based stand-in for the criterion of the SRR paper) or by trying every k and keeping the best (search; r + 1 SVDs). L and R, preserved and corrective directions together, are stored in float16: 16·r·(out+in) bits.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/MethodText.cpp" line="124"/>
        <source>How the weight and the error are weighted before their SVDs: none, diag (per-channel RMS of the inputs), whiten (Cholesky factor of XᵀX/n)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/MethodText.cpp" line="127"/>
        <source>How the preserved rank k is chosen: paper (predicted from rounding step sizes, one SVD) or search (every k = 0..r tried exactly)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/MethodText.cpp" line="131"/>
        <source>Activation-aware SVD (low rank alone)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/MethodText.cpp" line="132"/>
        <source>Replaces the weight by a product of two thin matrices L·R of rank r, with no quantized base at all: the truncated SVD of the weight after scaling each input channel by how strongly it is used. With scaling &apos;diag&apos; (ASVD) channel j is scaled by mean|x_j|^alpha; with &apos;whiten&apos; (SVD-LLM) by the full whitening of the inputs&apos; correlations, which gives the smallest output error any rank-r matrix can; &apos;none&apos; is the plain truncated SVD. L and R take 16·r·(out+in) bits, so this pays off only at small ranks. With quantize_factors L and R are rounded to the grid too (counted at 16 bits until the result type can hold quantized factors; the honest count is recorded).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/MethodText.cpp" line="140"/>
        <source>How input channels are weighted before the SVD: none (plain truncated SVD), diag (ASVD: mean|x|^alpha), whiten (SVD-LLM: Cholesky factor of XᵀX/n)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/MethodText.cpp" line="143"/>
        <source>Exponent of the diagonal scaling mean|x_j|^alpha (0 = plain SVD)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/MethodText.cpp" line="144"/>
        <source>1: round L and R themselves to the grid (RTN), 0: keep them in float16</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/MethodText.cpp" line="146"/>
        <source>K-means look-up table</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/MethodText.cpp" line="147"/>
        <source>Non-uniform quantization in the manner of SqueezeLLM: every output row gets its own table of 2^bits values (float16), placed by k-means on the row&apos;s weights, and each weight stores the index of its nearest table entry. Where the weights crowd (near zero) the entries crowd too, so typical weights are reproduced more finely than on an evenly spaced grid. When activations are known, each weight&apos;s error counts in proportion to its input channel&apos;s mean square (the stand-in here for SqueezeLLM&apos;s Fisher information), so the table favours the weights the output is most sensitive to. Only the number of bits applies; group size and symmetry do not. Costs 16 bits per table entry per row on top of the codes.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/MethodText.cpp" line="156"/>
        <source>Most Lloyd iterations per row (stops earlier when nothing changes)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/MethodText.cpp" line="157"/>
        <source>1: weight the fit by the activation second moment when data is present</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/MethodText.cpp" line="159"/>
        <source>Magnitude pruning</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/MethodText.cpp" line="160"/>
        <source>Sets to zero the weights of smallest absolute value in each output row: the simplest pruning, needing no data. Unstructured pruning drops the given share of every row; N:M pruning keeps the N largest of every M consecutive weights of a row (2:4 is what sparse tensor cores accelerate). With quantize = 1 the surviving weights are then rounded to the grid; otherwise they stay float16.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/MethodText.cpp" line="166"/>
        <source>Share of each row&apos;s weights to prune (unstructured)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/MethodText.cpp" line="167"/>
        <source>0: unstructured; else keep N of every M consecutive weights</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/MethodText.cpp" line="168"/>
        <source>M of the N:M pattern</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/MethodText.cpp" line="169"/>
        <source>1: round the kept weights to the grid; 0: keep them in float16</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/MethodText.cpp" line="171"/>
        <source>Wanda pruning</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/MethodText.cpp" line="172"/>
        <source>Wanda (pruning by Weights AND activations): scores each weight by |W_ij| times the norm of its input channel over the calibration tokens and drops the lowest scores of each output row. A small weight on a channel that carries large activations survives; a larger one on a quiet channel may not. Needs the layer&apos;s inputs or their statistics. Unstructured pruning drops the given share of every row; N:M pruning keeps the N largest of every M consecutive weights of a row (2:4 is what sparse tensor cores accelerate). With quantize = 1 the surviving weights are then rounded to the grid; otherwise they stay float16.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/MethodText.cpp" line="181"/>
        <source>SparseGPT</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/MethodText.cpp" line="182"/>
        <source>Prunes a layer in one pass while keeping its output close: columns are visited left to right and, as GPTQ does for rounding, each pruned weight&apos;s loss is compensated by adjusting the weights not yet visited, through the Hessian H = 2XᵀX/n of the layer&apos;s inputs. Which weights to drop is decided block by block from the already-adjusted weights, by how much output error dropping each alone would cause. Unstructured (a share of every row) or N:M (2:4); with quantize = 1 the kept weights are rounded to the grid in the same pass. Needs the layer&apos;s inputs (or their Gram matrix).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/MethodText.cpp" line="190"/>
        <source>Columns whose unstructured mask is chosen at once, from the weights as updated so far</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <location filename="../app/gui/main.cpp" line="79"/>
        <source>Look inside a language model and quantize it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/main.cpp" line="82"/>
        <source>A .safetensors, .gguf or llama2.c .bin file, or a Hugging Face directory.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/main.cpp" line="84"/>
        <source>Activation file (HDF5) to open with the model.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/main.cpp" line="87"/>
        <source>Render the window to FILE (PNG) after loading, then exit.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/main.cpp" line="89"/>
        <source>Tab to show: weights, activations, spectrum, quantization.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/main.cpp" line="91"/>
        <source>Layer to select after loading.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/main.cpp" line="92"/>
        <source>Language, e.g. zh_CN or en (default: the system&apos;s).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/main.cpp" line="94"/>
        <source>Window size for --screenshot, WIDTHxHEIGHT.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/main.cpp" line="97"/>
        <source>Run Quantize All after loading (with --screenshot: before the picture).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/main.cpp" line="98"/>
        <source>Capture activations on the text FILE after loading (with --screenshot: before the picture).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/main.cpp" line="102"/>
        <source>Evaluate the perplexity of the float and the quantized model on the text FILE after loading.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/main.cpp" line="106"/>
        <source>Run Analyze ▸ Sensitivity on the text FILE after loading and show its view.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/main.cpp" line="110"/>
        <source>Run Analyze ▸ Compare Methods at Equal Budget with perplexity on the text FILE and show its view.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/main.cpp" line="114"/>
        <source>Bits per weight for --sensitivity and --compare.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/main.cpp" line="117"/>
        <source>Candidates for --sensitivity, e.g. 3g128,3g32,4g128,4g32.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/main.cpp" line="119"/>
        <source>Methods for --compare, e.g. rtn,awq,gptq.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>salience::gui::ActivationsTab</name>
    <message>
        <location filename="../app/gui/ActivationsTab.cpp" line="45"/>
        <source>No activations for this layer.

Open an activation file (File ▸ Open Activations…) or use the demo model, whose activations are built in.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/ActivationsTab.cpp" line="53"/>
        <location filename="../app/gui/ActivationsTab.cpp" line="55"/>
        <source>input channel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/ActivationsTab.cpp" line="53"/>
        <source>magnitude</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/ActivationsTab.cpp" line="55"/>
        <location filename="../app/gui/ActivationsTab.cpp" line="63"/>
        <source>token</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/ActivationsTab.cpp" line="58"/>
        <source>Largest |A| per dimension</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/ActivationsTab.cpp" line="58"/>
        <source>|A| per token and dimension</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/ActivationsTab.cpp" line="60"/>
        <location filename="../app/gui/ActivationsTab.cpp" line="63"/>
        <source>hidden dimension</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/ActivationsTab.cpp" line="60"/>
        <source>max |A| over tokens</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/ActivationsTab.cpp" line="69"/>
        <source>Token</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/ActivationsTab.cpp" line="69"/>
        <source>Dim</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/ActivationsTab.cpp" line="69"/>
        <source>Value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/ActivationsTab.cpp" line="69"/>
        <source>× median</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/ActivationsTab.cpp" line="69"/>
        <source>Massive</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/ActivationsTab.cpp" line="86"/>
        <source>Thresholds</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/ActivationsTab.cpp" line="96"/>
        <source>Massive η</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/ActivationsTab.cpp" line="96"/>
        <source>A massive activation exceeds η × mean|A| …</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/ActivationsTab.cpp" line="97"/>
        <source>Massive γ</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/ActivationsTab.cpp" line="97"/>
        <source>… and the absolute value γ</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/ActivationsTab.cpp" line="98"/>
        <source>Channel η</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/ActivationsTab.cpp" line="99"/>
        <source>An outlier channel&apos;s |mean| exceeds η × std(A) + mean|A| …</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/ActivationsTab.cpp" line="100"/>
        <source>Channel β</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/ActivationsTab.cpp" line="100"/>
        <source>… and its spread std/|mean| stays below β</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/ActivationsTab.cpp" line="109"/>
        <source>Layer input</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/ActivationsTab.cpp" line="114"/>
        <source>Residual stream of this block</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/ActivationsTab.cpp" line="117"/>
        <source>Site:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/ActivationsTab.cpp" line="192"/>
        <source>abs-max</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/ActivationsTab.cpp" line="193"/>
        <source>RMS</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/ActivationsTab.cpp" line="194"/>
        <source>Input per channel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/ActivationsTab.cpp" line="203"/>
        <source>outlier channels</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/ActivationsTab.cpp" line="208"/>
        <source>|X|: tokens × channels</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/ActivationsTab.cpp" line="231"/>
        <source>This file has no residual-stream sites.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/ActivationsTab.cpp" line="236"/>
        <source>|A| at block %1 %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/ActivationsTab.cpp" line="241"/>
        <source>Block %1 %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/ActivationsTab.cpp" line="242"/>
        <source>max |A|</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/ActivationsTab.cpp" line="243"/>
        <source>massive activations</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/ActivationsTab.cpp" line="252"/>
        <source>yes</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../app/gui/ActivationsTab.cpp" line="264"/>
        <source>mean|A| %1 · median|A| %2 · %n massive activation(s)</source>
        <translation>
            <numerusform>mean|A| %1 · median|A| %2 · %n massive activation</numerusform>
            <numerusform>mean|A| %1 · median|A| %2 · %n massive activations</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../app/gui/ActivationsTab.cpp" line="267"/>
        <source> · outlier channels %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>salience::gui::CaptureDialog</name>
    <message>
        <location filename="../app/gui/CaptureDialog.cpp" line="50"/>
        <source>Tokens of the text to run through the model (0: all of it).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/CaptureDialog.cpp" line="51"/>
        <source>Tokens per forward pass, the BOS token included. The model&apos;s context length is the natural choice.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/CaptureDialog.cpp" line="54"/>
        <source>The first tokens keep their raw layer inputs and block sites (for the Activations tab and methods that need X); every token adds to the per-channel statistics.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/CaptureDialog.cpp" line="63"/>
        <source>Capture Activations</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/CaptureDialog.cpp" line="70"/>
        <source>found beside or inside the model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/CaptureDialog.cpp" line="71"/>
        <source>keep in memory only</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/CaptureDialog.cpp" line="72"/>
        <source>all</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/CaptureDialog.cpp" line="73"/>
        <source>none (statistics only)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/CaptureDialog.cpp" line="75"/>
        <location filename="../app/gui/CaptureDialog.cpp" line="76"/>
        <source>Browse…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/CaptureDialog.cpp" line="80"/>
        <source>The text runs through the model&apos;s own forward pass; every linear layer&apos;s input is recorded. The captured activations replace the open ones.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/CaptureDialog.cpp" line="87"/>
        <source>Text file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/CaptureDialog.cpp" line="88"/>
        <source>Tokens</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/CaptureDialog.cpp" line="89"/>
        <source>Window</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/CaptureDialog.cpp" line="90"/>
        <source>Keep raw inputs of</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/CaptureDialog.cpp" line="91"/>
        <location filename="../app/gui/CaptureDialog.cpp" line="147"/>
        <source>Tokenizer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/CaptureDialog.cpp" line="92"/>
        <source>Save to</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/CaptureDialog.cpp" line="48"/>
        <source>Text to Capture On</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/CaptureDialog.cpp" line="148"/>
        <source>Tokenizers (*.bin *.gguf);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/CaptureDialog.cpp" line="156"/>
        <source>Save Activations</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/CaptureDialog.cpp" line="158"/>
        <source>Activation files (*.h5)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/CaptureDialog.cpp" line="173"/>
        <source>Replace File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/CaptureDialog.cpp" line="173"/>
        <source>%1 already exists. Replace it?</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>salience::gui::ComparisonView</name>
    <message>
        <location filename="../app/gui/ComparisonView.cpp" line="45"/>
        <source>At equal bits per weight</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/ComparisonView.cpp" line="47"/>
        <source>Text for Perplexity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/ComparisonView.cpp" line="48"/>
        <source>Run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/ComparisonView.cpp" line="48"/>
        <source>Tokens of that part to measure perplexity on (0: all).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/ComparisonView.cpp" line="49"/>
        <source>Log scale</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/ComparisonView.cpp" line="64"/>
        <source>The methods to compare. Activation-aware ones use the open activations, or capture them from the text&apos;s calibration half.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/ComparisonView.cpp" line="66"/>
        <source>Set each method&apos;s budget parameter (bits and group size, protected share, rank, sparsity, codebook bits) so that every method stores the target; otherwise each takes the plan&apos;s default recipe as it is.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/ComparisonView.cpp" line="72"/>
        <source>Average bits per weight over the quantized layers, every side array counted.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/ComparisonView.cpp" line="76"/>
        <source>How far from the target a method may land; one that cannot is not run.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/ComparisonView.cpp" line="77"/>
        <source>optional: a text for perplexity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/ComparisonView.cpp" line="83"/>
        <source>Target bits/weight</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/ComparisonView.cpp" line="84"/>
        <source>Tolerance</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/ComparisonView.cpp" line="85"/>
        <source>Text file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/ComparisonView.cpp" line="86"/>
        <source>Part</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/ComparisonView.cpp" line="87"/>
        <source>Tokens</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/ComparisonView.cpp" line="91"/>
        <source>Methods</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/ComparisonView.cpp" line="97"/>
        <location filename="../app/gui/ComparisonView.cpp" line="220"/>
        <source>Method</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/ComparisonView.cpp" line="97"/>
        <location filename="../app/gui/ComparisonView.cpp" line="220"/>
        <source>Bits/w</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/ComparisonView.cpp" line="97"/>
        <location filename="../app/gui/ComparisonView.cpp" line="220"/>
        <source>Perplexity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/ComparisonView.cpp" line="97"/>
        <location filename="../app/gui/ComparisonView.cpp" line="220"/>
        <source>Rank</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/ComparisonView.cpp" line="97"/>
        <source>Mean rel. error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/ComparisonView.cpp" line="98"/>
        <location filename="../app/gui/ComparisonView.cpp" line="222"/>
        <source>Set for the budget</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/ComparisonView.cpp" line="98"/>
        <location filename="../app/gui/ComparisonView.cpp" line="222"/>
        <source>Stores</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/ComparisonView.cpp" line="221"/>
        <source>Mean rel. output error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/ComparisonView.cpp" line="221"/>
        <source>Mean rel. weight error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/ComparisonView.cpp" line="246"/>
        <source>float</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/ComparisonView.cpp" line="251"/>
        <source> (off the budget)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/ComparisonView.cpp" line="260"/>
        <source> (not run)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/ComparisonView.cpp" line="261"/>
        <source>cannot reach the budget</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/ComparisonView.cpp" line="268"/>
        <source>Each method&apos;s budget parameter is set so that it stores %1 ± %2 bits per weight.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/ComparisonView.cpp" line="272"/>
        <source>Ranked by %1 (1 = best).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/ComparisonView.cpp" line="274"/>
        <source>%1 not run: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/ComparisonView.cpp" line="278"/>
        <source>Perplexity over %1 tokens in %2 windows.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/ComparisonView.cpp" line="295"/>
        <source>Methods spend bits in different ways (scales, a low-rank correction, protected weights, a codebook, a pruning mask): at equal bits per weight, which one wins, and on which layers?</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>salience::gui::GgufOptionsDialog</name>
    <message>
        <location filename="../app/gui/ExportDialogs.cpp" line="49"/>
        <source>Export GGUF</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/ExportDialogs.cpp" line="42"/>
        <source>As the plan says (per layer)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/ExportDialogs.cpp" line="43"/>
        <source>llama-quantize mix</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/ExportDialogs.cpp" line="44"/>
        <source>One type for every quantized layer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/ExportDialogs.cpp" line="51"/>
        <source>As the plan says: each quantized layer is written in the llama.cpp type that holds its grid, exactly, from its own scales. A llama-quantize mix gives every other tensor (layers the plan keeps, the embedding, the classifier) the type llama-quantize&apos;s preset gives it, while the plan&apos;s quantized layers keep their results; without a plan the file is what llama-quantize writes. One type writes every quantized layer in that type, quantized again from the dequantized weights where the type does not hold the result. Otherwise layers the plan keeps in full precision keep their source type, and norms and the embedding stay float32.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/ExportDialogs.cpp" line="65"/>
        <source>Each quantized layer in the type that holds its grid (Q4_0, Q8_0, a recipe&apos;s block format, ...); a grid no type holds is refused.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/ExportDialogs.cpp" line="67"/>
        <source>llama-quantize&apos;s preset (as “llama-quantize F32.gguf out.gguf Q4_K_M”) for every tensor the plan does not quantize; general.file_type is the preset&apos;s.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/ExportDialogs.cpp" line="69"/>
        <source>Every quantized layer in this type, requantized where it does not hold the result.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/ExportDialogs.cpp" line="77"/>
        <source>8-bit, blocks of 32</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/ExportDialogs.cpp" line="78"/>
        <source>4-bit symmetric, blocks of 32</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/ExportDialogs.cpp" line="79"/>
        <source>4-bit with offset</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/ExportDialogs.cpp" line="80"/>
        <source>5-bit symmetric, blocks of 32</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/ExportDialogs.cpp" line="81"/>
        <source>5-bit with offset</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/ExportDialogs.cpp" line="82"/>
        <source>2-bit k-quant, super-blocks of 256</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/ExportDialogs.cpp" line="83"/>
        <source>3-bit k-quant, super-blocks of 256</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/ExportDialogs.cpp" line="84"/>
        <source>4-bit k-quant, super-blocks of 256</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/ExportDialogs.cpp" line="85"/>
        <source>5-bit k-quant, super-blocks of 256</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/ExportDialogs.cpp" line="86"/>
        <source>6-bit k-quant, super-blocks of 256</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/ExportDialogs.cpp" line="87"/>
        <source>4-bit non-linear levels, blocks of 32</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/ExportDialogs.cpp" line="88"/>
        <source>half precision</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/ExportDialogs.cpp" line="89"/>
        <source>bfloat16</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/ExportDialogs.cpp" line="90"/>
        <source>full precision</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/ExportDialogs.cpp" line="94"/>
        <source>%1 — %2, %3 bits/weight</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>salience::gui::MainWindow</name>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="72"/>
        <source>Weights</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="73"/>
        <source>Activations</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="74"/>
        <source>Spectrum</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="75"/>
        <source>Quantization</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="120"/>
        <source>Layers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="126"/>
        <source>Recipe</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="132"/>
        <source>Model overview</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="146"/>
        <source>Set rank budget to %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="166"/>
        <source>&amp;Open Model…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="168"/>
        <source>Open &amp;Activations…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="168"/>
        <source>Ctrl+Shift+O</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="170"/>
        <source>Open &amp;Demo Model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="170"/>
        <source>Ctrl+D</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="173"/>
        <source>&amp;Load Plan…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="173"/>
        <source>Ctrl+L</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="174"/>
        <source>&amp;Save Plan</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="182"/>
        <source>Save Plan &amp;As…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="183"/>
        <source>&amp;Fake-quantized safetensors…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="226"/>
        <source>Ctrl+E</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="189"/>
        <source>&amp;Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="172"/>
        <source>Open Run &amp;Record…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="183"/>
        <source>Ctrl+Shift+E</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="185"/>
        <source>&amp;GGUF…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="186"/>
        <source>GPTQ &amp;Safetensors…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="187"/>
        <source>&amp;llama2.c Checkpoint…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="188"/>
        <source>&amp;Run Record (HDF5)…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="191"/>
        <source>&amp;Undo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="195"/>
        <source>&amp;Redo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="199"/>
        <source>Apply Recipe to &amp;Selection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="199"/>
        <source>Ctrl+Return</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="200"/>
        <source>Apply recipe to selection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="201"/>
        <source>Apply Recipe to &amp;Block</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="201"/>
        <source>Ctrl+B</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="202"/>
        <source>Apply recipe to block</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="203"/>
        <source>Apply Recipe to All Layers of This &amp;Role</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="203"/>
        <source>Ctrl+Shift+R</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="204"/>
        <source>Apply recipe to role</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="205"/>
        <source>Reset &amp;Layer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="205"/>
        <source>Ctrl+Backspace</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="208"/>
        <source>&amp;Reset Layout</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="210"/>
        <source>&amp;Light Plots</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="212"/>
        <source>&amp;Dark Plots</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="220"/>
        <source>Quantize &amp;Selected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="220"/>
        <source>Ctrl+R</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="222"/>
        <source>Quantize &amp;All</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="222"/>
        <source>Ctrl+Shift+A</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="224"/>
        <source>&amp;Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="225"/>
        <source>Capture &amp;Activations…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="225"/>
        <source>Ctrl+Shift+C</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="226"/>
        <source>&amp;Evaluate Perplexity…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="228"/>
        <source>&amp;Sensitivity…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="228"/>
        <source>Ctrl+Shift+K</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="229"/>
        <source>&amp;Compare Methods at Equal Budget…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="229"/>
        <source>Ctrl+Shift+M</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="232"/>
        <source>Method &amp;Glossary</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="233"/>
        <source>&amp;About Salience</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="238"/>
        <source>&amp;File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="243"/>
        <source>Open &amp;Recent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="249"/>
        <source>&amp;Export</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="259"/>
        <source>&amp;Edit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="268"/>
        <source>&amp;Plan</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="269"/>
        <source>Apply llama-quantize &amp;Mix</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="275"/>
        <source>Round each layer onto the type llama-quantize&apos;s %1 gives it, with the current method (any method with a grid: rtn, GPTQ, AWQ, ...)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="280"/>
        <source>&amp;Analyze</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="284"/>
        <source>&amp;View</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="296"/>
        <source>&amp;Run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="305"/>
        <source>&amp;Help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="309"/>
        <source>Main</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="331"/>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="361"/>
        <source>%1: done</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="365"/>
        <source>%1: cancelled, nothing was applied</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="367"/>
        <source>%1 failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="376"/>
        <source>Cannot analyze the layer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="378"/>
        <source>Cannot compute the spectrum</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="380"/>
        <source>Preview failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="394"/>
        <source>activations changed — evaluate again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="397"/>
        <source>model changed — evaluate again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="398"/>
        <source>plan changed — evaluate again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindowFiles.cpp" line="46"/>
        <source>Opened %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindowFiles.cpp" line="49"/>
        <source>Cannot open the model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindowFiles.cpp" line="65"/>
        <source>Opened activations %1 (%2 layers matched)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindowFiles.cpp" line="69"/>
        <source>Cannot open the activations</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindowFiles.cpp" line="99"/>
        <location filename="../app/gui/MainWindowFiles.cpp" line="106"/>
        <location filename="../app/gui/MainWindowFiles.cpp" line="124"/>
        <source>Cannot open the run record</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindowFiles.cpp" line="100"/>
        <source>%1 was recorded on the model %2, which is not found. Open that model first, then the record.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindowFiles.cpp" line="107"/>
        <source>%1 names layers the open model does not have: it was recorded on %2.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindowFiles.cpp" line="116"/>
        <source>Opened the run record %1: %2 layers, %3 with their quantized weights</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindowFiles.cpp" line="135"/>
        <source>demo model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindowFiles.cpp" line="135"/>
        <source>planted activations</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindowPreview.cpp" line="68"/>
        <source>&lt;b&gt;%1&lt;/b&gt; &amp;nbsp; %2 × %3 · block %4 · %5%6</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../app/gui/MainWindowPreview.cpp" line="74"/>
        <source> · %n layers selected</source>
        <translation>
            <numerusform> · %n layer selected</numerusform>
            <numerusform> · %n layers selected</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindowPreview.cpp" line="183"/>
        <source>Set %1 to %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../app/gui/MainWindowPreview.cpp" line="184"/>
        <source>Set %n layers to %1</source>
        <translation>
            <numerusform>Set %n layer to %1</numerusform>
            <numerusform>Set %n layers to %1</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindowJobs.cpp" line="15"/>
        <source>Quantize all layers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindowJobs.cpp" line="35"/>
        <source>Quantize selected layers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindowJobs.cpp" line="52"/>
        <source>The model or plan changed while the job ran: its results were not applied</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindowExports.cpp" line="61"/>
        <source>Export fake-quantized safetensors</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindowExports.cpp" line="62"/>
        <location filename="../app/gui/MainWindowExports.cpp" line="141"/>
        <source>Export GGUF</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindowExports.cpp" line="63"/>
        <source>Export GPTQ safetensors</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindowExports.cpp" line="64"/>
        <source>Export llama2.c checkpoint</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindowExports.cpp" line="65"/>
        <source>Export run record</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindowRuns.cpp" line="24"/>
        <source>Capture activations</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindowRuns.cpp" line="51"/>
        <source>captured from %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindowRuns.cpp" line="54"/>
        <source>Captured %1 tokens of %2: statistics of %3 layers, raw inputs of the first %4 tokens</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindowRuns.cpp" line="71"/>
        <source>Evaluate perplexity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindowRuns.cpp" line="102"/>
        <source>Perplexity on %1: %2 (float) → %3 (quantized)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindowFiles.cpp" line="151"/>
        <source>Loaded plan %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindowFiles.cpp" line="155"/>
        <source>Cannot load the plan</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindowFiles.cpp" line="165"/>
        <source>Saved plan %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindowFiles.cpp" line="169"/>
        <source>Cannot save the plan</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindowFiles.cpp" line="178"/>
        <source>Unsaved plan</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindowFiles.cpp" line="179"/>
        <source>The plan has unsaved changes. Save them first?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindowFiles.cpp" line="191"/>
        <source>Open Model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindowFiles.cpp" line="192"/>
        <source>Models (*.safetensors *.gguf *.bin *.json);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindowFiles.cpp" line="202"/>
        <source>Open Activations</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindowFiles.cpp" line="204"/>
        <source>Activation files (*.h5 *.hdf5);;llama.cpp imatrix (*.dat *.gguf);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindowFiles.cpp" line="213"/>
        <source>Open Run Record</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindowFiles.cpp" line="215"/>
        <source>Run records (*.h5 *.hdf5);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindowFiles.cpp" line="222"/>
        <source>Load Plan</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindowFiles.cpp" line="223"/>
        <source>Plans (*.json);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindowFiles.cpp" line="232"/>
        <source>Save Plan</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindowFiles.cpp" line="232"/>
        <source>Plans (*.json)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindowExports.cpp" line="95"/>
        <source>GPTQ %1-bit, group %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindowExports.cpp" line="97"/>
        <source>%1, llama-quantize mix %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindowExports.cpp" line="112"/>
        <source>Exported %1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindowExports.cpp" line="114"/>
        <source>: %1 lossless, %2 requantized</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindowExports.cpp" line="116"/>
        <source>, %1 clipped or kept as float</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindowExports.cpp" line="117"/>
        <source>, %1 from the source weights</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindowExports.cpp" line="120"/>
        <source>; %1 with a note in the report (fallback type, not packable)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindowExports.cpp" line="130"/>
        <source>Export Fake-quantized Safetensors</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindowExports.cpp" line="131"/>
        <source>Safetensors (*.safetensors)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindowExports.cpp" line="141"/>
        <source>GGUF (*.gguf)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindowExports.cpp" line="148"/>
        <source>Export GPTQ Safetensors (a directory)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindowExports.cpp" line="149"/>
        <source>Directories (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindowExports.cpp" line="154"/>
        <source>Export GPTQ Safetensors</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindowExports.cpp" line="155"/>
        <source>%1 is not empty. Replace the GPTQ files in it?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindowExports.cpp" line="162"/>
        <source>Export llama2.c Checkpoint</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindowExports.cpp" line="163"/>
        <source>llama2.c checkpoints (*.bin)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindowExports.cpp" line="173"/>
        <source>Export Run Record</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindowExports.cpp" line="173"/>
        <source>HDF5 (*.h5)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindowRuns.cpp" line="127"/>
        <source>Evaluate Perplexity on a Text</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindowRuns.cpp" line="129"/>
        <source>Text files (*.txt *.raw *.md);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="435"/>
        <source>About Salience</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="436"/>
        <source>&lt;h3&gt;Salience %1&lt;/h3&gt;&lt;p&gt;A workbench for looking inside a language model and quantizing it: massive activations, outlier channels and singular spectra, layer by layer, with a recipe per layer and a live preview.&lt;/p&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="454"/>
        <source>no model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindowPlan.cpp" line="39"/>
        <source>Apply llama-quantize mix %1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindowPlan.cpp" line="40"/>
        <source>Plan: every layer onto the type llama-quantize&apos;s %1 gives it, by %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindowPlan.cpp" line="45"/>
        <source>Cannot apply the llama-quantize mix</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindowAnalyze.cpp" line="106"/>
        <source>Sensitivity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindowAnalyze.cpp" line="110"/>
        <source>Comparison</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindowAnalyze.cpp" line="164"/>
        <source>Candidates</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindowAnalyze.cpp" line="165"/>
        <source>Measure sensitivity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindowAnalyze.cpp" line="228"/>
        <source>Sensitivity: %1 bits per weight allocated. %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindowAnalyze.cpp" line="242"/>
        <source>Apply sensitivity allocation (%1 bits per weight)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindowAnalyze.cpp" line="243"/>
        <source>Plan: the sensitivity allocation, %1 bits per weight (Edit ▸ Undo restores the previous plan)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindowAnalyze.cpp" line="259"/>
        <source>Compare methods</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindowAnalyze.cpp" line="271"/>
        <source>Activation-aware methods used the open activations (%1).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindowAnalyze.cpp" line="285"/>
        <source>Activation-aware methods used activations captured from %1 tokens of the %2 part of %3.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../app/gui/MainWindowAnalyze.cpp" line="297"/>
        <source>Compared %n method(s)</source>
        <translation>
            <numerusform>Compared %n method</numerusform>
            <numerusform>Compared %n methods</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>salience::gui::QuantizationTab</name>
    <message>
        <location filename="../app/gui/QuantizationTab.cpp" line="21"/>
        <source>Error W − Ŵ</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/QuantizationTab.cpp" line="21"/>
        <source>Original |W|</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/QuantizationTab.cpp" line="21"/>
        <source>Quantized |Ŵ|</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/QuantizationTab.cpp" line="23"/>
        <source>input column</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/QuantizationTab.cpp" line="23"/>
        <location filename="../app/gui/QuantizationTab.cpp" line="26"/>
        <source>output row</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/QuantizationTab.cpp" line="26"/>
        <source>group</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/QuantizationTab.cpp" line="34"/>
        <source>Log counts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/QuantizationTab.cpp" line="39"/>
        <source>Show:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/QuantizationTab.cpp" line="62"/>
        <source>Distribution of W − Ŵ</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/QuantizationTab.cpp" line="63"/>
        <source>error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/QuantizationTab.cpp" line="73"/>
        <source>Codebook per output row (%1 entries)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/QuantizationTab.cpp" line="77"/>
        <source>Scales per group (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/QuantizationTab.cpp" line="91"/>
        <source>Relative weight error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/QuantizationTab.cpp" line="92"/>
        <source>Relative output error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/QuantizationTab.cpp" line="93"/>
        <source>— (no activations)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/QuantizationTab.cpp" line="94"/>
        <source>SQNR</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/QuantizationTab.cpp" line="94"/>
        <source>%1 dB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/QuantizationTab.cpp" line="95"/>
        <source>Bits per weight</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/QuantizationTab.cpp" line="103"/>
        <source>codes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/QuantizationTab.cpp" line="104"/>
        <source>scales</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/QuantizationTab.cpp" line="105"/>
        <source>zero points</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/QuantizationTab.cpp" line="106"/>
        <source>permutation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/QuantizationTab.cpp" line="107"/>
        <source>input scaling</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/QuantizationTab.cpp" line="108"/>
        <source>rotation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/QuantizationTab.cpp" line="109"/>
        <source>sparse weights</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/QuantizationTab.cpp" line="110"/>
        <source>low-rank factors</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/QuantizationTab.cpp" line="111"/>
        <source>codebook</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/QuantizationTab.cpp" line="112"/>
        <source>dense weights</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/QuantizationTab.cpp" line="113"/>
        <source>pruning mask</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/QuantizationTab.cpp" line="127"/>
        <source>|W|</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/QuantizationTab.cpp" line="130"/>
        <source>|Ŵ|</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/QuantizationTab.cpp" line="133"/>
        <source>W − Ŵ</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/QuantizationTab.cpp" line="145"/>
        <source>Select a layer to preview its recipe.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>salience::gui::RunRecordOptionsDialog</name>
    <message>
        <location filename="../app/gui/ExportDialogs.cpp" line="184"/>
        <source>Include codes and scales</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/ExportDialogs.cpp" line="187"/>
        <source>Export Run Record</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/ExportDialogs.cpp" line="188"/>
        <source>One HDF5 file with every layer&apos;s recipe, errors and bits per weight, for h5py or MATLAB. With codes and scales, each quantized layer&apos;s integer codes, scales and zero points are included too (a larger file).</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>salience::gui::SensitivityView</name>
    <message>
        <location filename="../app/gui/SensitivityView.cpp" line="51"/>
        <source>Calibration Text</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/SensitivityView.cpp" line="57"/>
        <source>Run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/SensitivityView.cpp" line="59"/>
        <source>Apply as Plan</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/SensitivityView.cpp" line="65"/>
        <source>Which half of the text to measure on: tune on the calibration half, judge perplexity on the held-out half (Run ▸ Evaluate Perplexity).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/SensitivityView.cpp" line="53"/>
        <source>Calibration tokens of that part (0: all). Every cell runs the model over them.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/SensitivityView.cpp" line="68"/>
        <source>Tokens per window, the BOS token included.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/SensitivityView.cpp" line="69"/>
        <source>default: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/SensitivityView.cpp" line="70"/>
        <source>Candidate recipes, comma-separated; each changes some of the base recipe: 4g32 (4 bits, groups of 32), 3g128, g0 (per channel), r16 (rank), gptq:3g128.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/SensitivityView.cpp" line="72"/>
        <source>KL divergence</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/SensitivityView.cpp" line="73"/>
        <location filename="../app/gui/SensitivityView.cpp" line="271"/>
        <source>NLL change</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/SensitivityView.cpp" line="74"/>
        <source>The damage the allocation minimises: the mean KL(P_float ‖ P_quantized) of the next-token distributions, or the mean NLL change.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/SensitivityView.cpp" line="79"/>
        <source>The average bits per weight to spend over the quantized layers, every side array counted. The heatmap&apos;s columns say what each candidate spends on every layer.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/SensitivityView.cpp" line="88"/>
        <source>Text file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/SensitivityView.cpp" line="89"/>
        <source>Part</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/SensitivityView.cpp" line="90"/>
        <source>Tokens</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/SensitivityView.cpp" line="91"/>
        <source>Window</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/SensitivityView.cpp" line="92"/>
        <source>Candidates</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/SensitivityView.cpp" line="93"/>
        <source>Measure</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/SensitivityView.cpp" line="94"/>
        <source>Target bits/weight</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/SensitivityView.cpp" line="105"/>
        <location filename="../app/gui/SensitivityView.cpp" line="241"/>
        <source>Plan</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/SensitivityView.cpp" line="105"/>
        <location filename="../app/gui/SensitivityView.cpp" line="241"/>
        <source>Bits/w</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/SensitivityView.cpp" line="105"/>
        <source>Predicted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/SensitivityView.cpp" line="105"/>
        <location filename="../app/gui/SensitivityView.cpp" line="242"/>
        <source>KL measured</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/SensitivityView.cpp" line="105"/>
        <location filename="../app/gui/SensitivityView.cpp" line="242"/>
        <source>Perplexity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/SensitivityView.cpp" line="109"/>
        <source>Each plan run end to end on the calibration tokens: the KL of its next-token distributions from the float model&apos;s, and its perplexity there. Predicted: the sum of each layer&apos;s KL measured alone.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/SensitivityView.cpp" line="116"/>
        <source>Layer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/SensitivityView.cpp" line="116"/>
        <source>Current</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/SensitivityView.cpp" line="116"/>
        <source>Allocated</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/SensitivityView.cpp" line="120"/>
        <source>Replace the plan by the allocated one (one step: Edit ▸ Undo restores the current plan).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/SensitivityView.cpp" line="209"/>
        <source>Base recipe: %1 (the plan&apos;s default); each candidate changes its bits and group size, or what it names.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/SensitivityView.cpp" line="224"/>
        <source>%1 × %2 candidates on %3 tokens</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/SensitivityView.cpp" line="266"/>
        <source>Allocated %1 bits per weight over %2 (target %3), predicted %4 %5 as the sum of each alone. Measured end to end on %6 calibration tokens:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/SensitivityView.cpp" line="229"/>
        <source>Reopened %1, measured earlier on the same model, tokens and candidates.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/SensitivityView.cpp" line="230"/>
        <source>Measured %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/SensitivityView.cpp" line="231"/>
        <source>Kept in %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/SensitivityView.cpp" line="241"/>
        <source>Predicted KL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/SensitivityView.cpp" line="241"/>
        <source>Predicted ΔNLL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/SensitivityView.cpp" line="257"/>
        <source>allocated</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/SensitivityView.cpp" line="260"/>
        <source>uniform %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/SensitivityView.cpp" line="262"/>
        <source>float model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/SensitivityView.cpp" line="271"/>
        <source>KL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/SensitivityView.cpp" line="284"/>
        <source>No candidate fits the budget on every layer: nothing uniform to compare with.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/SensitivityView.cpp" line="287"/>
        <source>The allocation does not beat uniform %1 on the calibration tokens: Apply sets uniform %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/SensitivityView.cpp" line="288"/>
        <source>The allocation beats uniform %1 on the calibration tokens.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/SensitivityView.cpp" line="305"/>
        <source>The plan already is this one.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../app/gui/SensitivityView.cpp" line="308"/>
        <source>Apply as plan changes %n layer(s):</source>
        <translation>
            <numerusform>Apply as plan changes %n layer:</numerusform>
            <numerusform>Apply as plan changes %n layers:</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../app/gui/SensitivityView.cpp" line="322"/>
        <source>Each layer is quantized alone with each candidate, the rest of the model in float, and the whole model runs on the text. Run reopens a table measured before on the same inputs.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>salience::gui::SpectrumTab</name>
    <message>
        <location filename="../app/gui/SpectrumTab.cpp" line="20"/>
        <source>Use k as rank budget</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/SpectrumTab.cpp" line="21"/>
        <source>Set the rank budget of the selected layers&apos; recipe to the marker&apos;s k</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/SpectrumTab.cpp" line="22"/>
        <source>Normalize σ / σ₁</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/SpectrumTab.cpp" line="43"/>
        <source>%1: effective rank %2, stable rank %3, 90% of the energy in rank %4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/SpectrumTab.cpp" line="49"/>
        <source>%1: largest %2 of %3 singular values (randomized estimate; %4% of the energy lies beyond them), stable rank %5</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/SpectrumTab.cpp" line="60"/>
        <source>Singular values of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/SpectrumTab.cpp" line="62"/>
        <source>W</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/SpectrumTab.cpp" line="64"/>
        <source> · </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/SpectrumTab.cpp" line="64"/>
        <source>W·diag(s)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/SpectrumTab.cpp" line="66"/>
        <source> · computing the full spectrum…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>salience::gui::TextFileField</name>
    <message>
        <location filename="../app/gui/TextFileField.cpp" line="14"/>
        <source>Browse…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/TextFileField.cpp" line="16"/>
        <source>a plain text file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/TextFileField.cpp" line="33"/>
        <source>Text files (*.txt *.raw *.md);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>salience::gui::ViewControls</name>
    <message>
        <location filename="../app/gui/ViewControls.cpp" line="13"/>
        <source>calibration (second half)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/ViewControls.cpp" line="14"/>
        <source>held-out (first half)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/ViewControls.cpp" line="22"/>
        <source>whole text</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/ViewControls.cpp" line="41"/>
        <source>all</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>salience::gui::WeightsTab</name>
    <message>
        <location filename="../app/gui/WeightsTab.cpp" line="20"/>
        <location filename="../app/gui/WeightsTab.cpp" line="22"/>
        <source>input column</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/WeightsTab.cpp" line="20"/>
        <location filename="../app/gui/WeightsTab.cpp" line="24"/>
        <source>output row</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/WeightsTab.cpp" line="22"/>
        <location filename="../app/gui/WeightsTab.cpp" line="24"/>
        <source>abs-max</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/WeightsTab.cpp" line="26"/>
        <source>Log counts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/WeightsTab.cpp" line="27"/>
        <source>Log colour scale</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/WeightsTab.cpp" line="53"/>
        <source>|W|</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/WeightsTab.cpp" line="55"/>
        <source>Per input column</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/WeightsTab.cpp" line="56"/>
        <source>column abs-max</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/WeightsTab.cpp" line="57"/>
        <source>outlier columns (&gt; %1× median)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/WeightsTab.cpp" line="58"/>
        <source>Per output row</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/WeightsTab.cpp" line="59"/>
        <source>row abs-max</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/WeightsTab.cpp" line="60"/>
        <source>Distribution of weights</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/WeightsTab.cpp" line="61"/>
        <source>weight value</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../app/gui/WeightsTab.cpp" line="62"/>
        <source>%1 × %2 · abs-max %3 · std %4 · excess kurtosis %5 · beyond 3σ %6% · beyond 6σ %7% · %n outlier column(s)</source>
        <translation>
            <numerusform>%1 × %2 · abs-max %3 · std %4 · excess kurtosis %5 · beyond 3σ %6% · beyond 6σ %7% · %n outlier column</numerusform>
            <numerusform>%1 × %2 · abs-max %3 · std %4 · excess kurtosis %5 · beyond 3σ %6% · beyond 6σ %7% · %n outlier columns</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>salience::gui::Workspace</name>
    <message>
        <location filename="../app/gui/Workspace.cpp" line="88"/>
        <source>Reset %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../app/gui/Workspace.cpp" line="89"/>
        <source>Reset %n layers</source>
        <translation>
            <numerusform>Reset %n layer</numerusform>
            <numerusform>Reset %n layers</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>salience::widgets::HeatmapView</name>
    <message>
        <location filename="../widgets/HeatmapView.cpp" line="69"/>
        <source>Column</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/HeatmapView.cpp" line="70"/>
        <source>Row</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/HeatmapView.cpp" line="73"/>
        <source>No data</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/HeatmapView.cpp" line="171"/>
        <source>row %1, column %2: |x| = %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/HeatmapView.cpp" line="172"/>
        <source>row %1, column %2: x = %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/HeatmapView.cpp" line="179"/>
        <source>rows %1–%2, columns %3–%4: max |x| = %5</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/HeatmapView.cpp" line="181"/>
        <source>rows %1–%2, columns %3–%4: largest-magnitude x = %5</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/HeatmapView.cpp" line="252"/>
        <source>value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/HeatmapView.cpp" line="252"/>
        <source>|value|</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/HeatmapView.cpp" line="262"/>
        <source>Hover over a cell to read its value. Wheel zooms, drag pans, double-click resets.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/HeatmapView.cpp" line="264"/>
        <source>Shown in blocks of %1 × %2 (largest |x| of each). %3</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>salience::widgets::HistogramPlot</name>
    <message>
        <location filename="../widgets/HistogramPlot.cpp" line="34"/>
        <source>No data</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/HistogramPlot.cpp" line="76"/>
        <location filename="../widgets/HistogramPlot.cpp" line="172"/>
        <source>Count (log scale)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/HistogramPlot.cpp" line="76"/>
        <location filename="../widgets/HistogramPlot.cpp" line="172"/>
        <source>Count</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/HistogramPlot.cpp" line="138"/>
        <source>bin %1: [%2, %3%4: %5 values</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/HistogramPlot.cpp" line="180"/>
        <source>%1 values in %2 bins of width %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/HistogramPlot.cpp" line="186"/>
        <source>NaN: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/HistogramPlot.cpp" line="188"/>
        <source>+Inf: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/HistogramPlot.cpp" line="190"/>
        <source>−Inf: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/HistogramPlot.cpp" line="192"/>
        <source>below range: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/HistogramPlot.cpp" line="194"/>
        <source>above range: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/HistogramPlot.cpp" line="196"/>
        <source>; not in any bin: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/HistogramPlot.cpp" line="198"/>
        <source>Hover over a bar to read its count. Wheel zooms, drag pans, double-click resets.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>salience::widgets::LayerTree</name>
    <message>
        <location filename="../widgets/LayerTree.cpp" line="47"/>
        <source>Filter: name, role (q k v o gate up down) or “block 2”</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/LayerTree.cpp" line="48"/>
        <source>Shows layers whose name contains the text, all layers of a role when the text is a role name, or a whole block when it is a block&apos;s title.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/LayerTree.cpp" line="53"/>
        <source>Layer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/LayerTree.cpp" line="53"/>
        <source>Shape</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/LayerTree.cpp" line="53"/>
        <source>DType</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/LayerTree.cpp" line="53"/>
        <source>Recipe</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/LayerTree.cpp" line="53"/>
        <source>Bits/w</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/LayerTree.cpp" line="53"/>
        <source>Error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/LayerTree.cpp" line="54"/>
        <source>Output features × input features</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/LayerTree.cpp" line="55"/>
        <source>Element type as stored in the file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/LayerTree.cpp" line="57"/>
        <source>Bits per weight after quantization, scales and zero points included</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/LayerTree.cpp" line="59"/>
        <source>Relative output error when activations are known, else relative weight error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/LayerTree.cpp" line="102"/>
        <source>Embedding &amp; classifier</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/LayerTree.cpp" line="102"/>
        <source>Block %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/LayerTree.cpp" line="119"/>
        <source>%1
stored as %2
role: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/LayerTree.cpp" line="123"/>
        <source>%1 output features × %2 input features (%3 weights)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/LayerTree.cpp" line="127"/>
        <source>not quantized</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/LayerTree.cpp" line="185"/>
        <source>Relative error %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>salience::widgets::MethodComparisonPlot</name>
    <message>
        <location filename="../widgets/MethodComparisonPlot.cpp" line="29"/>
        <location filename="../widgets/MethodComparisonPlot.cpp" line="176"/>
        <source>No comparison yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/MethodComparisonPlot.cpp" line="162"/>
        <source> (best)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/MethodComparisonPlot.cpp" line="198"/>
        <source>%1 %2 b/w</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/MethodComparisonPlot.cpp" line="200"/>
        <source>, ppl %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../widgets/MethodComparisonPlot.cpp" line="201"/>
        <source>, best on %n</source>
        <translation>
            <numerusform>, best on %n</numerusform>
            <numerusform>, best on %n</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../widgets/MethodComparisonPlot.cpp" line="203"/>
        <source> (off the budget)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/MethodComparisonPlot.cpp" line="218"/>
        <source>Block %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/MethodComparisonPlot.cpp" line="226"/>
        <source>Relative output error per layer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/MethodComparisonPlot.cpp" line="226"/>
        <source>Relative weight error per layer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/MethodComparisonPlot.cpp" line="228"/>
        <source> at %1 bits/w</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/MethodComparisonPlot.cpp" line="230"/>
        <source> · float ppl %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/MethodComparisonPlot.cpp" line="232"/>
        <source>Layer (model order)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/MethodComparisonPlot.cpp" line="233"/>
        <source>Relative output error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/MethodComparisonPlot.cpp" line="233"/>
        <source>Relative weight error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/MethodComparisonPlot.cpp" line="234"/>
        <source>Hover over a layer to read every method&apos;s error there.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>salience::widgets::MethodGlossary</name>
    <message>
        <location filename="../widgets/MethodGlossary.cpp" line="31"/>
        <source>Method Glossary</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/MethodGlossary.cpp" line="48"/>
        <source>Quantization methods</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/MethodGlossary.cpp" line="49"/>
        <source>Each layer&apos;s recipe names one of these methods. Fields a method does not use are greyed out in the recipe editor.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/MethodGlossary.cpp" line="58"/>
        <source>keeps full precision</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/MethodGlossary.cpp" line="60"/>
        <source>bits, group size and symmetry</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/MethodGlossary.cpp" line="62"/>
        <source>a rank budget</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/MethodGlossary.cpp" line="64"/>
        <source>a share of protected weights</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/MethodGlossary.cpp" line="66"/>
        <source>&lt;b&gt;needs the layer&apos;s activations&lt;/b&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/MethodGlossary.cpp" line="68"/>
        <source>Uses:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/MethodGlossary.cpp" line="71"/>
        <source>No parameters of its own.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/MethodGlossary.cpp" line="77"/>
        <source>Parameter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/MethodGlossary.cpp" line="77"/>
        <source>Range</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/MethodGlossary.cpp" line="77"/>
        <source>Default</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/MethodGlossary.cpp" line="77"/>
        <source>What it does</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>salience::widgets::OverviewPanel</name>
    <message>
        <location filename="../widgets/OverviewPanel.cpp" line="89"/>
        <source>Layer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/OverviewPanel.cpp" line="89"/>
        <source>Block</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/OverviewPanel.cpp" line="89"/>
        <source>Role</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/OverviewPanel.cpp" line="89"/>
        <source>Method</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/OverviewPanel.cpp" line="89"/>
        <source>Bits</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/OverviewPanel.cpp" line="89"/>
        <source>Bits/w</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/OverviewPanel.cpp" line="90"/>
        <source>Rel. weight error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/OverviewPanel.cpp" line="90"/>
        <source>Rel. output error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/OverviewPanel.cpp" line="92"/>
        <source>Bits per weight, scales and zero points included</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/OverviewPanel.cpp" line="93"/>
        <source>‖W − Ŵ‖ / ‖W‖</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/OverviewPanel.cpp" line="95"/>
        <source>‖(W − Ŵ)·X‖ / ‖W·X‖ on the collected activations X</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/OverviewPanel.cpp" line="198"/>
        <source>Size: %1 → %2 · average %3 bits/weight · %4 of %5 layers quantized</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../widgets/OverviewPanel.cpp" line="216"/>
        <source>Perplexity %1 → %2 (%3) on %4, %n tokens</source>
        <translation>
            <numerusform>Perplexity %1 → %2 (%3) on %4, %n token</numerusform>
            <numerusform>Perplexity %1 → %2 (%3) on %4, %n tokens</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../widgets/OverviewPanel.cpp" line="221"/>
        <source>Perplexity of the float model → of the model quantized by the current plan, on the first tokens of the text. Lower is better.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/OverviewPanel.cpp" line="239"/>
        <source>No quantization results yet: run a plan to see sizes and errors.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/OverviewPanel.cpp" line="240"/>
        <source>Perplexity: —</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/OverviewPanel.cpp" line="312"/>
        <source>Relative output error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/OverviewPanel.cpp" line="312"/>
        <source>Relative weight error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/OverviewPanel.cpp" line="352"/>
        <source>Block %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/OverviewPanel.cpp" line="374"/>
        <source>No results yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/OverviewPanel.cpp" line="374"/>
        <source>No layer is quantized</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/OverviewPanel.cpp" line="404"/>
        <source>kept at full precision</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/OverviewPanel.cpp" line="406"/>
        <source>%1 %2-bit · %3 bits/weight</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/OverviewPanel.cpp" line="407"/>
        <source>weight error %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/OverviewPanel.cpp" line="409"/>
        <source>output error %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>salience::widgets::ProfilePlot</name>
    <message>
        <location filename="../widgets/ProfilePlot.cpp" line="28"/>
        <source>Index</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/ProfilePlot.cpp" line="29"/>
        <source>Value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/ProfilePlot.cpp" line="31"/>
        <source>No data</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/ProfilePlot.cpp" line="163"/>
        <source>%1 = %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/ProfilePlot.cpp" line="164"/>
        <source>index %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/ProfilePlot.cpp" line="166"/>
        <source> (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/ProfilePlot.cpp" line="166"/>
        <source>marked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/ProfilePlot.cpp" line="214"/>
        <source>Hover to read the values. Wheel zooms, drag pans, double-click resets.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/ProfilePlot.cpp" line="271"/>
        <source>Marked</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>salience::widgets::RecipeEditor</name>
    <message>
        <location filename="../widgets/RecipeEditor.cpp" line="79"/>
        <source>Symmetric grid (zero point fixed at the middle)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/RecipeEditor.cpp" line="82"/>
        <source>Method parameters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/RecipeEditor.cpp" line="92"/>
        <source>%1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/RecipeEditor.cpp" line="97"/>
        <source>How the layer&apos;s weights are quantized. Help ▸ Method Glossary explains each method.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/RecipeEditor.cpp" line="101"/>
        <source>Uniform (bits, group, symmetry below)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/RecipeEditor.cpp" line="102"/>
        <source>Salience&apos;s own grid: 2^bits levels, one scale (and zero point) per group.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/RecipeEditor.cpp" line="110"/>
        <source>llama.cpp non-linear 4-bit levels</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/RecipeEditor.cpp" line="112"/>
        <source>llama.cpp K-quant</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/RecipeEditor.cpp" line="114"/>
        <source>llama.cpp block format</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/RecipeEditor.cpp" line="115"/>
        <source>%1 — %2, %3 bits/weight</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/RecipeEditor.cpp" line="120"/>
        <source>The grid the weights are rounded onto. A llama.cpp block format writes llama.cpp&apos;s own blocks, which a GGUF export copies unchanged; bits, group size and symmetry are then the format&apos;s own. A layer whose rows are not whole blocks falls back as llama-quantize does (Q4_K to Q5_0, ...). Every method with a grid quantizes onto these formats; what a GGUF cannot hold (input scales, a rotation, sparse weights, low-rank factors) is rounded into the file when it is exported.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/RecipeEditor.cpp" line="128"/>
        <source> bits</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/RecipeEditor.cpp" line="129"/>
        <source>Bits per quantized weight: 2^bits grid points.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/RecipeEditor.cpp" line="131"/>
        <source>per channel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/RecipeEditor.cpp" line="132"/>
        <source>per tensor</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/RecipeEditor.cpp" line="135"/>
        <source>custom</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/RecipeEditor.cpp" line="136"/>
        <source>How many consecutive input columns share one scale (and zero point): a group of columns, a whole output channel, or the whole tensor.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/RecipeEditor.cpp" line="140"/>
        <source> columns</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/RecipeEditor.cpp" line="141"/>
        <source>Group size when “custom” is chosen.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/RecipeEditor.cpp" line="148"/>
        <source>Symmetric grids store only a scale; asymmetric ones also a zero point, which fits skewed weight ranges better.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/RecipeEditor.cpp" line="151"/>
        <source>Rank of the low-rank correction kept in full precision (0: none).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/RecipeEditor.cpp" line="155"/>
        <source> %</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/RecipeEditor.cpp" line="156"/>
        <source>Share of the most salient weights kept in full precision.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/RecipeEditor.cpp" line="161"/>
        <source>Method</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/RecipeEditor.cpp" line="163"/>
        <source>Grid</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/RecipeEditor.cpp" line="164"/>
        <source>Bits</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/RecipeEditor.cpp" line="165"/>
        <source>Group size</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/RecipeEditor.cpp" line="167"/>
        <source>Rank budget</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/RecipeEditor.cpp" line="168"/>
        <source>Protect</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/RecipeEditor.cpp" line="212"/>
        <source>%1 (not registered)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/RecipeEditor.cpp" line="345"/>
        <source>This method has no parameters of its own.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/RecipeEditor.cpp" line="363"/>
        <source>%1
One of: %2; default %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/RecipeEditor.cpp" line="387"/>
        <source>%1
Range %2 … %3, default %4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/RecipeEditor.cpp" line="425"/>
        <source>This method is not registered in this version of Salience.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/RecipeEditor.cpp" line="428"/>
        <source>This method uses the layer&apos;s activations; the collected ones will be used.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/RecipeEditor.cpp" line="429"/>
        <source>⚠ This method needs the layer&apos;s activations. Collect activations first (or open the demo model, which brings its own).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/RecipeEditor.cpp" line="442"/>
        <source>No layer selected: select layers in the layer tree to edit their recipe.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/RecipeEditor.cpp" line="444"/>
        <source>Recipe of the selected layer</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../widgets/RecipeEditor.cpp" line="446"/>
        <source>%n layers selected — editing applies to all</source>
        <translation>
            <numerusform>%n layer selected — editing applies to all</numerusform>
            <numerusform>%n layers selected — editing applies to all</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../widgets/RecipeEditor.cpp" line="448"/>
        <source>Their recipes differ; the first one is shown.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/RecipeEditor.cpp" line="465"/>
        <source>%1 (unknown format)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>salience::widgets::SensitivityHeatmap</name>
    <message>
        <location filename="../widgets/SensitivityHeatmap.cpp" line="84"/>
        <source>allocated plan</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/SensitivityHeatmap.cpp" line="93"/>
        <source>No sensitivity measured yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/SensitivityHeatmap.cpp" line="114"/>
        <source>block %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/SensitivityHeatmap.cpp" line="123"/>
        <source>role</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/SensitivityHeatmap.cpp" line="125"/>
        <source>block</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/SensitivityHeatmap.cpp" line="129"/>
        <source>layer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/SensitivityHeatmap.cpp" line="135"/>
        <source>calibration</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/SensitivityHeatmap.cpp" line="137"/>
        <source>held-out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/SensitivityHeatmap.cpp" line="139"/>
        <source>whole text</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../widgets/SensitivityHeatmap.cpp" line="147"/>
        <source>%n role(s)</source>
        <translation>
            <numerusform>%n role</numerusform>
            <numerusform>%n roles</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../widgets/SensitivityHeatmap.cpp" line="149"/>
        <source>%n block(s)</source>
        <translation>
            <numerusform>%n block</numerusform>
            <numerusform>%n blocks</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../widgets/SensitivityHeatmap.cpp" line="153"/>
        <source>%n layer(s)</source>
        <translation>
            <numerusform>%n layer</numerusform>
            <numerusform>%n layers</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../widgets/SensitivityHeatmap.cpp" line="227"/>
        <source>%1 · %2: KL %3 ± %4 nats, ΔNLL %5, %6 bits per weight</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/SensitivityHeatmap.cpp" line="234"/>
        <source>, rank %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/SensitivityHeatmap.cpp" line="236"/>
        <source> (allocated)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/SensitivityHeatmap.cpp" line="292"/>
        <source>KL(P_float ‖ P_quantized), nats</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/SensitivityHeatmap.cpp" line="293"/>
        <source>NLL change, nats</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/SensitivityHeatmap.cpp" line="294"/>
        <source>KL divergence</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/SensitivityHeatmap.cpp" line="294"/>
        <source>NLL change</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/SensitivityHeatmap.cpp" line="295"/>
        <source>%1 with each %2 alone quantized (%3 positions, %4 part)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/SensitivityHeatmap.cpp" line="303"/>
        <source>%1
%2 b/w</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/SensitivityHeatmap.cpp" line="312"/>
        <source>Candidate (bits per weight over all units)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/SensitivityHeatmap.cpp" line="326"/>
        <source>Hover over a cell to read its KL, NLL change and bits per weight.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/SensitivityHeatmap.cpp" line="359"/>
        <source>uniform %1 (same budget)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>salience::widgets::SpectrumPlot</name>
    <message>
        <location filename="../widgets/SpectrumPlot.cpp" line="43"/>
        <source>Index i (singular values in decreasing order)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/SpectrumPlot.cpp" line="48"/>
        <source>Cumulative energy (fraction kept)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/SpectrumPlot.cpp" line="56"/>
        <source>σᵢ(W)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/SpectrumPlot.cpp" line="58"/>
        <source>energy of W</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/SpectrumPlot.cpp" line="57"/>
        <source>σᵢ(W·diag(s))</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/SpectrumPlot.cpp" line="59"/>
        <source>energy of W·diag(s)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/SpectrumPlot.cpp" line="86"/>
        <source>No data</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/SpectrumPlot.cpp" line="87"/>
        <source>Press or drag in the plot to move the rank budget k. The wheel zooms the index axis; double-click resets.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/SpectrumPlot.cpp" line="300"/>
        <source>σᵢ / σ₁ (log scale)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/SpectrumPlot.cpp" line="301"/>
        <source>Singular value σᵢ (log scale)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/SpectrumPlot.cpp" line="328"/>
        <source>k = %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/SpectrumPlot.cpp" line="346"/>
        <source>k = %1: %2% of W&apos;s energy, %3% of W·diag(s)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/SpectrumPlot.cpp" line="361"/>
        <source>W·diag(s)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/SpectrumPlot.cpp" line="352"/>
        <source>k = %1: %2% of W&apos;s energy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/SpectrumPlot.cpp" line="355"/>
        <source>%1: effective rank %2, stable rank %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/SpectrumPlot.cpp" line="359"/>
        <source>W</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/SpectrumPlot.cpp" line="362"/>
        <source>  ·  %1 singular values</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
