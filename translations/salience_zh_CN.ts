<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>MethodRegistry</name>
    <message>
        <location filename="../widgets/MethodText.cpp" line="14"/>
        <source>Full precision</source>
        <translation>全精度</translation>
    </message>
    <message>
        <location filename="../widgets/MethodText.cpp" line="15"/>
        <source>Keeps the layer&apos;s weights as they are. Use it for layers too sensitive to quantize.</source>
        <translation>保持该层权重不变。适用于对量化过于敏感的层。</translation>
    </message>
    <message>
        <location filename="../widgets/MethodText.cpp" line="18"/>
        <source>Round to nearest</source>
        <translation>就近取整</translation>
    </message>
    <message>
        <location filename="../widgets/MethodText.cpp" line="19"/>
        <source>Rounds every weight to the nearest point of a uniform grid: one scale (and zero point when asymmetric) per group of consecutive input columns, stored as float16. The baseline every other method is measured against.</source>
        <translation>将每个权重舍入到均匀网格上最近的点：每组连续的输入列共用一个缩放因子（非对称时另有一个零点），以 float16 存储。它是衡量其他所有方法的基线。</translation>
    </message>
    <message>
        <location filename="../widgets/MethodText.cpp" line="24"/>
        <source>SmoothQuant scaling + RTN</source>
        <translation>SmoothQuant 缩放 + RTN</translation>
    </message>
    <message>
        <location filename="../widgets/MethodText.cpp" line="25"/>
        <source>A few input channels of a layer carry activations far larger than the rest, which makes the activations hard to quantize. SmoothQuant divides each input channel j by a scale s_j = max|X_j|^alpha / max|W_j|^(1-alpha) and multiplies the matching weight column by the same s_j, so the layer&apos;s output is exactly unchanged before rounding: the difficulty moves from the activations to the weights. The scaled weights are then rounded to nearest. alpha = 0.5 splits the difficulty evenly; the scales are stored (16 bits per input column) and can be folded into the previous layer.</source>
        <translation>层中少数输入通道的激活值远大于其余通道，使激活值难以量化。SmoothQuant 将每个输入通道 j 除以缩放因子 s_j = max|X_j|^alpha / max|W_j|^(1-alpha)，并将对应的权重列乘以同一个 s_j，因此在舍入之前层的输出完全不变：量化难度从激活值转移到了权重上。随后对缩放后的权重做就近舍入。alpha = 0.5 时难度平均分配；缩放因子需要存储（每个输入列 16 位），也可以合并到前一层中。</translation>
    </message>
    <message>
        <location filename="../widgets/MethodText.cpp" line="33"/>
        <source>Migration strength: 0 leaves the activations alone, 1 moves all of their range into the weights.</source>
        <translation>迁移强度：0 表示不改变激活值，1 表示把激活值的全部范围转移到权重上。</translation>
    </message>
    <message>
        <location filename="../widgets/MethodText.cpp" line="36"/>
        <source>AWQ (activation-aware scaling + RTN)</source>
        <translation>AWQ（激活感知缩放 + RTN）</translation>
    </message>
    <message>
        <location filename="../widgets/MethodText.cpp" line="37"/>
        <source>Not all weights matter equally: the weights that meet large activations shape the output the most. AWQ multiplies each input column j of the weight by a scale s_j = (mean|X_j|)^r before rounding and divides it back afterwards, so columns that see large activations are rounded more finely. The exponent r is searched on a grid from 0 (plain round-to-nearest) towards 1, keeping the one whose rounded layer reproduces the layer&apos;s output on the calibration tokens best, so it is never worse than plain rounding there. An optional clipping search then shrinks each group&apos;s range a little where that lowers the output error. The scales cost 16 bits per input column.</source>
        <translation>并非所有权重都同等重要：与大激活值相乘的权重对输出的影响最大。AWQ 在舍入之前把权重的每个输入列 j 乘以缩放因子 s_j = (mean|X_j|)^r，舍入之后再除回去，因此遇到大激活值的列会被更精细地舍入。指数 r 在从 0（普通就近舍入）到 1 的网格上搜索，保留在校准词元上最能还原层输出的那个，因此在校准数据上绝不会比普通舍入更差。可选的截断搜索随后会在能降低输出误差的地方略微缩小每组的范围。缩放因子每个输入列占 16 位。</translation>
    </message>
    <message>
        <location filename="../widgets/MethodText.cpp" line="45"/>
        <source>Number of exponents tried between 0 and 1.</source>
        <translation>在 0 到 1 之间尝试的指数个数。</translation>
    </message>
    <message>
        <location filename="../widgets/MethodText.cpp" line="46"/>
        <source>1: also search a clipping range per group; 0: no clipping.</source>
        <translation>1：同时为每组搜索截断范围；0：不截断。</translation>
    </message>
    <message>
        <location filename="../widgets/MethodText.cpp" line="48"/>
        <source>Hadamard rotation + RTN</source>
        <translation>Hadamard 旋转 + RTN</translation>
    </message>
    <message>
        <location filename="../widgets/MethodText.cpp" line="49"/>
        <source>Multiplies the weight by a random orthogonal (Hadamard) matrix before rounding, and would multiply the layer&apos;s inputs by the same matrix, so the output is exactly unchanged before rounding. The rotation mixes every input channel with the others in its block, so one very large column is spread out over many: the weights become more even, the grid step shrinks and rounding loses less. Where the number of input features is not a power of two, smaller Hadamard blocks are used. The random signs come from the recipe&apos;s seed; they cost 1 bit per input column. Needs no activations.</source>
        <translation>在舍入之前把权重乘以一个随机正交（Hadamard）矩阵，并对该层的输入乘以同一矩阵，因此在舍入之前输出完全不变。旋转把每个输入通道与同一块中的其他通道混合，使某一个特别大的列被分散到许多列上：权重变得更均匀，网格步长变小，舍入损失也更少。当输入特征数不是 2 的幂时，使用较小的 Hadamard 块。随机符号来自方案的随机种子，每个输入列占 1 位。不需要激活值。</translation>
    </message>
    <message>
        <location filename="../widgets/MethodText.cpp" line="58"/>
        <source>GPTQ</source>
        <translation>GPTQ（二阶误差补偿量化）</translation>
    </message>
    <message>
        <location filename="../widgets/MethodText.cpp" line="59"/>
        <source>Quantizes the input columns one at a time and, after each, nudges the columns not yet quantized to cancel its rounding error on the layer&apos;s output, using the Hessian H = 2XᵀX/n of the layer&apos;s inputs X (damped by a small multiple of its mean diagonal). Updates are applied lazily in blocks of columns, so the cost is mostly matrix products. Act-order quantizes the columns with the largest input energy first; static groups fix every group&apos;s scale from the original weights so act-order needs no reordering at load time. Rows where plain rounding does better keep it (RTN guard). Needs the layer&apos;s inputs (or their Gram matrix).</source>
        <translation>逐列量化输入列，每量化一列后，就调整尚未量化的列，以抵消该列舍入误差对层输出的影响；所用的是层输入 X 的 Hessian 矩阵 H = 2XᵀX/n（加上其对角线均值的一个小倍数作为阻尼）。更新按列块延迟执行，因此计算量主要是矩阵乘法。act-order 先量化输入能量最大的列；静态分组根据原始权重确定每组的缩放因子，使 act-order 在加载时无需重新排序。普通舍入效果更好的行保留普通舍入（RTN 保护）。需要该层的输入（或其 Gram 矩阵）。</translation>
    </message>
    <message>
        <location filename="../widgets/MethodText.cpp" line="67"/>
        <source>Damping λ added to H as λ·mean(diag H) on the diagonal</source>
        <translation>加到 H 对角线上的阻尼 λ，大小为 λ·mean(diag H)</translation>
    </message>
    <message>
        <location filename="../widgets/MethodText.cpp" line="68"/>
        <source>Columns per lazy-update block</source>
        <translation>每个延迟更新块的列数</translation>
    </message>
    <message>
        <location filename="../widgets/MethodText.cpp" line="69"/>
        <source>1: quantize columns by descending diag(H) (act-order)</source>
        <translation>1：按 diag(H) 从大到小的顺序量化各列（act-order）</translation>
    </message>
    <message>
        <location filename="../widgets/MethodText.cpp" line="70"/>
        <source>1: compute group scales up front from the original weights</source>
        <translation>1：预先根据原始权重计算各组的缩放因子</translation>
    </message>
    <message>
        <location filename="../widgets/MethodText.cpp" line="71"/>
        <source>1: rows where plain rounding has the lower output loss keep it</source>
        <translation>1：普通舍入输出损失更低的行保留普通舍入</translation>
    </message>
    <message>
        <location filename="../widgets/MethodText.cpp" line="73"/>
        <source>Saliency protection</source>
        <translation>显著性保护</translation>
    </message>
    <message>
        <location filename="../widgets/MethodText.cpp" line="74"/>
        <source>Keeps the most salient p% of the weights in full precision (float16, stored as a sparse list) and rounds the rest to the grid; the kept weights are left out when each group&apos;s scale is computed, so a few outliers no longer stretch the grid for their neighbours. Which weights are salient is the criterion: svd (size of the weight in the layer&apos;s rank-k reconstruction; needs no data), awq (|weight| times the norm of its input channel), spqr (rounding error weighted by the inverse Hessian, as in SpQR) or magnitude (|weight|). The sparse values and their indices are counted in the bits per weight, so criteria compare at equal budgets.</source>
        <translation>把最显著的 p% 权重保留为全精度（float16，以稀疏列表存储），其余权重舍入到网格上；计算每组缩放因子时不考虑被保留的权重，因此少数离群值不会再拉大其邻近权重的网格。哪些权重显著由判据决定：svd（权重在该层秩 k 重构中的大小；不需要数据）、awq（|权重| 乘以其输入通道的范数）、spqr（按 Hessian 逆加权的舍入误差，如 SpQR）或 magnitude（|权重|）。稀疏值及其索引都计入每权重位数，因此各判据在相同预算下比较。</translation>
    </message>
    <message>
        <location filename="../widgets/MethodText.cpp" line="82"/>
        <source>Which weights are kept: svd, awq, spqr or magnitude</source>
        <translation>保留哪些权重：svd、awq、spqr 或 magnitude</translation>
    </message>
    <message>
        <location filename="../widgets/MethodText.cpp" line="83"/>
        <source>Rank k of the reconstruction the svd criterion scores</source>
        <translation>svd 判据所评分的重构的秩 k</translation>
    </message>
    <message>
        <location filename="../widgets/MethodText.cpp" line="85"/>
        <source>SARQC (GPTQ form)</source>
        <translation>SARQC（GPTQ 形式）</translation>
    </message>
    <message>
        <location filename="../widgets/MethodText.cpp" line="86"/>
        <source>GPTQ with a saliency penalty: besides keeping the layer&apos;s output close, it keeps the weights a criterion calls salient (svd, awq, spqr or magnitude) close to their original values, weighted by λ. The penalty enters GPTQ&apos;s Hessian as extra weight on the diagonal, one value per input column (the saliency averaged over the rows, scaled so that λ = 1 weighs it like the data), because GPTQ shares one Hessian across all rows. λ = 0 is plain GPTQ. Needs the layer&apos;s inputs (or their Gram).</source>
        <translation>带显著性惩罚的 GPTQ：除了使层输出保持接近，还使判据认定为显著的权重（svd、awq、spqr 或 magnitude）保持接近原值，权重为 λ。由于 GPTQ 的所有行共享一个 Hessian，惩罚以对角线上的额外权重加入 GPTQ 的 Hessian，每个输入列一个值（显著性在各行上取平均，并缩放到 λ = 1 时与数据项同等权重）。λ = 0 即普通 GPTQ。需要该层的输入（或其 Gram 矩阵）。</translation>
    </message>
    <message>
        <location filename="../widgets/MethodText.cpp" line="93"/>
        <source>Weight λ of the saliency-weighted drift; 0 gives the plain method</source>
        <translation>显著性加权偏移的权重 λ；0 即为原始方法</translation>
    </message>
    <message>
        <location filename="../widgets/MethodText.cpp" line="94"/>
        <source>Which weights are salient: svd, awq, spqr or magnitude</source>
        <translation>哪些权重显著：svd、awq、spqr 或 magnitude</translation>
    </message>
    <message>
        <location filename="../widgets/MethodText.cpp" line="96"/>
        <source>SARQC (AWQ form)</source>
        <translation>SARQC（AWQ 形式）</translation>
    </message>
    <message>
        <location filename="../widgets/MethodText.cpp" line="97"/>
        <source>AWQ whose scale and clipping searches minimise the output error plus λ times the saliency-weighted drift of the weights, Σ s·(W − Ŵ)², with the saliency from a criterion (svd, awq, spqr or magnitude) scaled so that λ = 1 weighs it like the data. Unlike the GPTQ form this uses every weight&apos;s own score. λ = 0 is plain AWQ. Needs the layer&apos;s activations.</source>
        <translation>AWQ 的缩放与截断搜索在最小化输出误差的同时，还加上 λ 乘以权重的显著性加权偏移 Σ s·(W − Ŵ)²；显著性来自某个判据（svd、awq、spqr 或 magnitude），并缩放到 λ = 1 时与数据项同等权重。与 GPTQ 形式不同，这里使用每个权重自己的得分。λ = 0 即普通 AWQ。需要该层的激活值。</translation>
    </message>
    <message>
        <location filename="../widgets/MethodText.cpp" line="103"/>
        <source>Quantization error reconstruction</source>
        <translation>量化误差重构</translation>
    </message>
    <message>
        <location filename="../widgets/MethodText.cpp" line="104"/>
        <source>Rounds the weights to the grid (RTN), then adds a small full-precision correction L·R of rank r that captures as much of the rounding error W − Q as r directions can: the truncated SVD of the error. With scaling &apos;diag&apos; or &apos;whiten&apos; the error is first weighted by how strongly each input channel is used (per-channel RMS, or the full whitening of the inputs&apos; correlations), so the rank is spent where it reduces the layer&apos;s OUTPUT error most. L and R are stored in float16 and add 16·r·(out+in) bits.</source>
        <translation>先把权重舍入到网格（RTN），再加上一个秩为 r 的小型全精度修正 L·R，用 r 个方向尽可能多地捕获舍入误差 W − Q：即误差的截断 SVD。当 scaling 为 diag 或 whiten 时，误差先按每个输入通道的使用强度加权（逐通道 RMS，或对输入相关性做完整白化），使秩用在最能降低层输出误差的地方。L 和 R 以 float16 存储，增加 16·r·(out+in) 位。</translation>
    </message>
    <message>
        <location filename="../widgets/MethodText.cpp" line="111"/>
        <source>How the error is weighted before the SVD: none (weight error), diag (per-channel RMS of the inputs), whiten (Cholesky factor of XᵀX/n)</source>
        <translation>SVD 之前误差的加权方式：none（权重误差）、diag（输入的逐通道 RMS）、whiten（XᵀX/n 的 Cholesky 因子）</translation>
    </message>
    <message>
        <location filename="../widgets/MethodText.cpp" line="115"/>
        <source>Structured residual reconstruction</source>
        <translation>结构化残差重构</translation>
    </message>
    <message>
        <location filename="../widgets/MethodText.cpp" line="116"/>
        <source>Splits the rank budget r in two. First it keeps the k strongest directions of the activation-scaled weight (its top singular vectors) in full precision, because rounding would damage them most; then it rounds only what is left (RTN) and spends the remaining r − k ranks on the rounding error of that rest, like QER. With k = 0 it is QER. k is chosen either by a cheap prediction from the rounding step sizes (paper; an energy-based stand-in for the criterion of the SRR paper) or by trying every k and keeping the best (search; r + 1 SVDs). L and R, preserved and corrective directions together, are stored in float16: 16·r·(out+in) bits.</source>
        <translation>把秩预算 r 分为两部分。首先以全精度保留激活缩放后权重最强的 k 个方向（其前几个奇异向量），因为舍入对它们的损害最大；然后只对剩余部分舍入（RTN），并把剩下的 r − k 个秩用于该剩余部分的舍入误差，与 QER 相同。k = 0 时即为 QER。k 的选择方式有两种：根据舍入步长做廉价预测（paper；以基于能量的方法代替 SRR 论文中的判据），或逐一尝试每个 k 并保留最佳者（search；需 r + 1 次 SVD）。L 和 R（保留方向与修正方向合在一起）以 float16 存储：16·r·(out+in) 位。</translation>
    </message>
    <message>
        <location filename="../widgets/MethodText.cpp" line="124"/>
        <source>How the weight and the error are weighted before their SVDs: none, diag (per-channel RMS of the inputs), whiten (Cholesky factor of XᵀX/n)</source>
        <translation>SVD 之前权重和误差的加权方式：none、diag（输入的逐通道 RMS）、whiten（XᵀX/n 的 Cholesky 因子）</translation>
    </message>
    <message>
        <location filename="../widgets/MethodText.cpp" line="127"/>
        <source>How the preserved rank k is chosen: paper (predicted from rounding step sizes, one SVD) or search (every k = 0..r tried exactly)</source>
        <translation>保留秩 k 的选择方式：paper（根据舍入步长预测，一次 SVD）或 search（精确尝试 k = 0..r 的每个值）</translation>
    </message>
    <message>
        <location filename="../widgets/MethodText.cpp" line="131"/>
        <source>Activation-aware SVD (low rank alone)</source>
        <translation>激活感知 SVD（仅低秩）</translation>
    </message>
    <message>
        <location filename="../widgets/MethodText.cpp" line="132"/>
        <source>Replaces the weight by a product of two thin matrices L·R of rank r, with no quantized base at all: the truncated SVD of the weight after scaling each input channel by how strongly it is used. With scaling &apos;diag&apos; (ASVD) channel j is scaled by mean|x_j|^alpha; with &apos;whiten&apos; (SVD-LLM) by the full whitening of the inputs&apos; correlations, which gives the smallest output error any rank-r matrix can; &apos;none&apos; is the plain truncated SVD. L and R take 16·r·(out+in) bits, so this pays off only at small ranks. With quantize_factors L and R are rounded to the grid too (counted at 16 bits until the result type can hold quantized factors; the honest count is recorded).</source>
        <translation>用两个秩为 r 的瘦矩阵之积 L·R 代替权重，完全没有量化的基础部分：即按每个输入通道的使用强度缩放之后的权重的截断 SVD。scaling 为 diag（ASVD）时，通道 j 按 mean|x_j|^alpha 缩放；为 whiten（SVD-LLM）时，按输入相关性的完整白化缩放，这能给出任何秩 r 矩阵所能达到的最小输出误差；none 即普通截断 SVD。L 和 R 占 16·r·(out+in) 位，因此只有在秩较小时才划算。启用 quantize_factors 时，L 和 R 本身也舍入到网格（在结果类型能容纳量化因子之前按 16 位计数；真实的位数会被记录）。</translation>
    </message>
    <message>
        <location filename="../widgets/MethodText.cpp" line="140"/>
        <source>How input channels are weighted before the SVD: none (plain truncated SVD), diag (ASVD: mean|x|^alpha), whiten (SVD-LLM: Cholesky factor of XᵀX/n)</source>
        <translation>SVD 之前输入通道的加权方式：none（普通截断 SVD）、diag（ASVD：mean|x|^alpha）、whiten（SVD-LLM：XᵀX/n 的 Cholesky 因子）</translation>
    </message>
    <message>
        <location filename="../widgets/MethodText.cpp" line="143"/>
        <source>Exponent of the diagonal scaling mean|x_j|^alpha (0 = plain SVD)</source>
        <translation>对角缩放 mean|x_j|^alpha 的指数（0 = 普通 SVD）</translation>
    </message>
    <message>
        <location filename="../widgets/MethodText.cpp" line="144"/>
        <source>1: round L and R themselves to the grid (RTN), 0: keep them in float16</source>
        <translation>1：把 L 和 R 本身舍入到网格（RTN）；0：保持 float16</translation>
    </message>
    <message>
        <location filename="../widgets/MethodText.cpp" line="146"/>
        <source>K-means look-up table</source>
        <translation>K-means 查找表</translation>
    </message>
    <message>
        <location filename="../widgets/MethodText.cpp" line="147"/>
        <source>Non-uniform quantization in the manner of SqueezeLLM: every output row gets its own table of 2^bits values (float16), placed by k-means on the row&apos;s weights, and each weight stores the index of its nearest table entry. Where the weights crowd (near zero) the entries crowd too, so typical weights are reproduced more finely than on an evenly spaced grid. When activations are known, each weight&apos;s error counts in proportion to its input channel&apos;s mean square (the stand-in here for SqueezeLLM&apos;s Fisher information), so the table favours the weights the output is most sensitive to. Only the number of bits applies; group size and symmetry do not. Costs 16 bits per table entry per row on top of the codes.</source>
        <translation>仿照 SqueezeLLM 的非均匀量化：每个输出行有自己的一张含 2^bits 个值的表（float16），由对该行权重做 k-means 得到，每个权重存储离它最近的表项的索引。权重密集的地方（零附近）表项也密集，因此典型权重比在等间距网格上还原得更精细。已知激活值时，每个权重的误差按其输入通道的均方值加权（此处用它代替 SqueezeLLM 的 Fisher 信息），使表更偏向输出最敏感的权重。只有位数适用，分组大小和对称性不适用。除整数码外，每行每个表项另占 16 位。</translation>
    </message>
    <message>
        <location filename="../widgets/MethodText.cpp" line="156"/>
        <source>Most Lloyd iterations per row (stops earlier when nothing changes)</source>
        <translation>每行 Lloyd 迭代的最大次数（没有变化时提前停止）</translation>
    </message>
    <message>
        <location filename="../widgets/MethodText.cpp" line="157"/>
        <source>1: weight the fit by the activation second moment when data is present</source>
        <translation>1：有数据时按激活值的二阶矩加权拟合</translation>
    </message>
    <message>
        <location filename="../widgets/MethodText.cpp" line="159"/>
        <source>Magnitude pruning</source>
        <translation>幅值剪枝</translation>
    </message>
    <message>
        <location filename="../widgets/MethodText.cpp" line="160"/>
        <source>Sets to zero the weights of smallest absolute value in each output row: the simplest pruning, needing no data. Unstructured pruning drops the given share of every row; N:M pruning keeps the N largest of every M consecutive weights of a row (2:4 is what sparse tensor cores accelerate). With quantize = 1 the surviving weights are then rounded to the grid; otherwise they stay float16.</source>
        <translation>把每个输出行中绝对值最小的权重置零：最简单的剪枝，不需要数据。非结构化剪枝去掉每行中给定比例的权重；N:M 剪枝在每行每 M 个连续权重中保留最大的 N 个（2:4 可被稀疏张量核心加速）。quantize = 1 时，保留下来的权重再舍入到网格；否则保持 float16。</translation>
    </message>
    <message>
        <location filename="../widgets/MethodText.cpp" line="166"/>
        <source>Share of each row&apos;s weights to prune (unstructured)</source>
        <translation>每行要剪掉的权重比例（非结构化）</translation>
    </message>
    <message>
        <location filename="../widgets/MethodText.cpp" line="167"/>
        <source>0: unstructured; else keep N of every M consecutive weights</source>
        <translation>0：非结构化；否则在每 M 个连续权重中保留 N 个</translation>
    </message>
    <message>
        <location filename="../widgets/MethodText.cpp" line="168"/>
        <source>M of the N:M pattern</source>
        <translation>N:M 模式中的 M</translation>
    </message>
    <message>
        <location filename="../widgets/MethodText.cpp" line="169"/>
        <source>1: round the kept weights to the grid; 0: keep them in float16</source>
        <translation>1：把保留的权重舍入到网格；0：保持 float16</translation>
    </message>
    <message>
        <location filename="../widgets/MethodText.cpp" line="171"/>
        <source>Wanda pruning</source>
        <translation>Wanda 剪枝</translation>
    </message>
    <message>
        <location filename="../widgets/MethodText.cpp" line="172"/>
        <source>Wanda (pruning by Weights AND activations): scores each weight by |W_ij| times the norm of its input channel over the calibration tokens and drops the lowest scores of each output row. A small weight on a channel that carries large activations survives; a larger one on a quiet channel may not. Needs the layer&apos;s inputs or their statistics. Unstructured pruning drops the given share of every row; N:M pruning keeps the N largest of every M consecutive weights of a row (2:4 is what sparse tensor cores accelerate). With quantize = 1 the surviving weights are then rounded to the grid; otherwise they stay float16.</source>
        <translation>Wanda（按权重和激活值剪枝）：以 |W_ij| 乘以其输入通道在校准词元上的范数为每个权重打分，去掉每个输出行中得分最低的权重。位于大激活通道上的小权重会被保留；位于安静通道上的较大权重则可能被剪掉。需要该层的输入或其统计量。非结构化剪枝去掉每行中给定比例的权重；N:M 剪枝在每行每 M 个连续权重中保留最大的 N 个（2:4 可被稀疏张量核心加速）。quantize = 1 时，保留下来的权重再舍入到网格；否则保持 float16。</translation>
    </message>
    <message>
        <location filename="../widgets/MethodText.cpp" line="181"/>
        <source>SparseGPT</source>
        <translation>SparseGPT 剪枝</translation>
    </message>
    <message>
        <location filename="../widgets/MethodText.cpp" line="182"/>
        <source>Prunes a layer in one pass while keeping its output close: columns are visited left to right and, as GPTQ does for rounding, each pruned weight&apos;s loss is compensated by adjusting the weights not yet visited, through the Hessian H = 2XᵀX/n of the layer&apos;s inputs. Which weights to drop is decided block by block from the already-adjusted weights, by how much output error dropping each alone would cause. Unstructured (a share of every row) or N:M (2:4); with quantize = 1 the kept weights are rounded to the grid in the same pass. Needs the layer&apos;s inputs (or their Gram matrix).</source>
        <translation>一次完成一层的剪枝，同时保持其输出接近：从左到右逐列处理，并像 GPTQ 处理舍入那样，通过层输入的 Hessian H = 2XᵀX/n 调整尚未处理的权重，以补偿每个被剪权重造成的损失。剪掉哪些权重按块决定，依据是已调整后的权重，以及单独剪掉每个权重会造成多少输出误差。可非结构化（每行一定比例）或 N:M（2:4）；quantize = 1 时，保留的权重在同一遍中舍入到网格。需要该层的输入（或其 Gram 矩阵）。</translation>
    </message>
    <message>
        <location filename="../widgets/MethodText.cpp" line="190"/>
        <source>Columns whose unstructured mask is chosen at once, from the weights as updated so far</source>
        <translation>一次性选定非结构化掩码的列数，依据是到目前为止已更新的权重</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <location filename="../app/gui/main.cpp" line="79"/>
        <source>Look inside a language model and quantize it.</source>
        <translation>深入查看语言模型内部并对其进行量化。</translation>
    </message>
    <message>
        <location filename="../app/gui/main.cpp" line="82"/>
        <source>A .safetensors, .gguf or llama2.c .bin file, or a Hugging Face directory.</source>
        <translation>.safetensors、.gguf 或 llama2.c .bin 文件，或 Hugging Face 模型目录。</translation>
    </message>
    <message>
        <location filename="../app/gui/main.cpp" line="84"/>
        <source>Activation file (HDF5) to open with the model.</source>
        <translation>与模型一同打开的激活文件（HDF5）。</translation>
    </message>
    <message>
        <location filename="../app/gui/main.cpp" line="87"/>
        <source>Render the window to FILE (PNG) after loading, then exit.</source>
        <translation>加载后将窗口渲染到 FILE（PNG），然后退出。</translation>
    </message>
    <message>
        <location filename="../app/gui/main.cpp" line="89"/>
        <source>Tab to show: weights, activations, spectrum, quantization.</source>
        <translation>要显示的标签页：weights（权重）、activations（激活）、spectrum（奇异值谱）、quantization（量化）。</translation>
    </message>
    <message>
        <location filename="../app/gui/main.cpp" line="91"/>
        <source>Layer to select after loading.</source>
        <translation>加载后要选中的层。</translation>
    </message>
    <message>
        <location filename="../app/gui/main.cpp" line="92"/>
        <source>Language, e.g. zh_CN or en (default: the system&apos;s).</source>
        <translation>界面语言，例如 zh_CN 或 en（默认：跟随系统）。</translation>
    </message>
    <message>
        <location filename="../app/gui/main.cpp" line="94"/>
        <source>Window size for --screenshot, WIDTHxHEIGHT.</source>
        <translation>--screenshot 使用的窗口尺寸，格式为 WIDTHxHEIGHT（宽x高）。</translation>
    </message>
    <message>
        <location filename="../app/gui/main.cpp" line="97"/>
        <source>Run Quantize All after loading (with --screenshot: before the picture).</source>
        <translation>加载后运行“全部量化”（与 --screenshot 同用时在截图之前）。</translation>
    </message>
    <message>
        <location filename="../app/gui/main.cpp" line="98"/>
        <source>Capture activations on the text FILE after loading (with --screenshot: before the picture).</source>
        <translation>加载后在文本 FILE 上采集激活值（与 --screenshot 一起使用时在截图之前）。</translation>
    </message>
    <message>
        <location filename="../app/gui/main.cpp" line="102"/>
        <source>Evaluate the perplexity of the float and the quantized model on the text FILE after loading.</source>
        <translation>加载后在文本 FILE 上评估浮点模型与量化模型的困惑度。</translation>
    </message>
    <message>
        <location filename="../app/gui/main.cpp" line="106"/>
        <source>Run Analyze ▸ Sensitivity on the text FILE after loading and show its view.</source>
        <translation>加载后在文本 FILE 上运行“分析 ▸ 敏感度”并显示其视图。</translation>
    </message>
    <message>
        <location filename="../app/gui/main.cpp" line="110"/>
        <source>Run Analyze ▸ Compare Methods at Equal Budget with perplexity on the text FILE and show its view.</source>
        <translation>运行“分析 ▸ 等预算比较方法”，在文本 FILE 上测量困惑度并显示其视图。</translation>
    </message>
    <message>
        <location filename="../app/gui/main.cpp" line="114"/>
        <source>Bits per weight for --sensitivity and --compare.</source>
        <translation>--sensitivity 与 --compare 的每权重比特数。</translation>
    </message>
    <message>
        <location filename="../app/gui/main.cpp" line="117"/>
        <source>Candidates for --sensitivity, e.g. 3g128,3g32,4g128,4g32.</source>
        <translation>--sensitivity 的候选方案，例如 3g128,3g32,4g128,4g32。</translation>
    </message>
    <message>
        <location filename="../app/gui/main.cpp" line="119"/>
        <source>Methods for --compare, e.g. rtn,awq,gptq.</source>
        <translation>--compare 的方法，例如 rtn,awq,gptq。</translation>
    </message>
</context>
<context>
    <name>salience::gui::ActivationsTab</name>
    <message>
        <location filename="../app/gui/ActivationsTab.cpp" line="45"/>
        <source>No activations for this layer.

Open an activation file (File ▸ Open Activations…) or use the demo model, whose activations are built in.</source>
        <translation>该层没有激活数据。

请打开激活文件（文件 ▸ 打开激活文件…），或使用自带激活数据的演示模型。</translation>
    </message>
    <message>
        <location filename="../app/gui/ActivationsTab.cpp" line="53"/>
        <location filename="../app/gui/ActivationsTab.cpp" line="55"/>
        <source>input channel</source>
        <translation>输入通道</translation>
    </message>
    <message>
        <location filename="../app/gui/ActivationsTab.cpp" line="53"/>
        <source>magnitude</source>
        <translation>幅值</translation>
    </message>
    <message>
        <location filename="../app/gui/ActivationsTab.cpp" line="55"/>
        <location filename="../app/gui/ActivationsTab.cpp" line="63"/>
        <source>token</source>
        <translation>词元</translation>
    </message>
    <message>
        <location filename="../app/gui/ActivationsTab.cpp" line="58"/>
        <source>Largest |A| per dimension</source>
        <translation>各维度的最大 |A|</translation>
    </message>
    <message>
        <location filename="../app/gui/ActivationsTab.cpp" line="58"/>
        <source>|A| per token and dimension</source>
        <translation>各词元、各维度的 |A|</translation>
    </message>
    <message>
        <location filename="../app/gui/ActivationsTab.cpp" line="60"/>
        <location filename="../app/gui/ActivationsTab.cpp" line="63"/>
        <source>hidden dimension</source>
        <translation>隐藏维度</translation>
    </message>
    <message>
        <location filename="../app/gui/ActivationsTab.cpp" line="60"/>
        <source>max |A| over tokens</source>
        <translation>所有词元上的最大 |A|</translation>
    </message>
    <message>
        <location filename="../app/gui/ActivationsTab.cpp" line="69"/>
        <source>Token</source>
        <translation>词元</translation>
    </message>
    <message>
        <location filename="../app/gui/ActivationsTab.cpp" line="69"/>
        <source>Dim</source>
        <translation>维度</translation>
    </message>
    <message>
        <location filename="../app/gui/ActivationsTab.cpp" line="69"/>
        <source>Value</source>
        <translation>值</translation>
    </message>
    <message>
        <location filename="../app/gui/ActivationsTab.cpp" line="69"/>
        <source>× median</source>
        <translation>× 中位数</translation>
    </message>
    <message>
        <location filename="../app/gui/ActivationsTab.cpp" line="69"/>
        <source>Massive</source>
        <translation>巨量激活</translation>
    </message>
    <message>
        <location filename="../app/gui/ActivationsTab.cpp" line="86"/>
        <source>Thresholds</source>
        <translation>阈值</translation>
    </message>
    <message>
        <location filename="../app/gui/ActivationsTab.cpp" line="96"/>
        <source>Massive η</source>
        <translation>巨量 η</translation>
    </message>
    <message>
        <location filename="../app/gui/ActivationsTab.cpp" line="96"/>
        <source>A massive activation exceeds η × mean|A| …</source>
        <translation>巨量激活需超过 η × mean|A| …</translation>
    </message>
    <message>
        <location filename="../app/gui/ActivationsTab.cpp" line="97"/>
        <source>Massive γ</source>
        <translation>巨量 γ</translation>
    </message>
    <message>
        <location filename="../app/gui/ActivationsTab.cpp" line="97"/>
        <source>… and the absolute value γ</source>
        <translation>… 且绝对值超过 γ</translation>
    </message>
    <message>
        <location filename="../app/gui/ActivationsTab.cpp" line="98"/>
        <source>Channel η</source>
        <translation>通道 η</translation>
    </message>
    <message>
        <location filename="../app/gui/ActivationsTab.cpp" line="99"/>
        <source>An outlier channel&apos;s |mean| exceeds η × std(A) + mean|A| …</source>
        <translation>离群通道的 |mean| 超过 η × std(A) + mean|A| …</translation>
    </message>
    <message>
        <location filename="../app/gui/ActivationsTab.cpp" line="100"/>
        <source>Channel β</source>
        <translation>通道 β</translation>
    </message>
    <message>
        <location filename="../app/gui/ActivationsTab.cpp" line="100"/>
        <source>… and its spread std/|mean| stays below β</source>
        <translation>… 且其离散度 std/|mean| 低于 β</translation>
    </message>
    <message>
        <location filename="../app/gui/ActivationsTab.cpp" line="109"/>
        <source>Layer input</source>
        <translation>层输入</translation>
    </message>
    <message>
        <location filename="../app/gui/ActivationsTab.cpp" line="114"/>
        <source>Residual stream of this block</source>
        <translation>本块的残差流</translation>
    </message>
    <message>
        <location filename="../app/gui/ActivationsTab.cpp" line="117"/>
        <source>Site:</source>
        <translation>采集点：</translation>
    </message>
    <message>
        <location filename="../app/gui/ActivationsTab.cpp" line="192"/>
        <source>abs-max</source>
        <translation>绝对最大值</translation>
    </message>
    <message>
        <location filename="../app/gui/ActivationsTab.cpp" line="193"/>
        <source>RMS</source>
        <translation>RMS</translation>
    </message>
    <message>
        <location filename="../app/gui/ActivationsTab.cpp" line="194"/>
        <source>Input per channel</source>
        <translation>逐通道输入</translation>
    </message>
    <message>
        <location filename="../app/gui/ActivationsTab.cpp" line="203"/>
        <source>outlier channels</source>
        <translation>离群通道</translation>
    </message>
    <message>
        <location filename="../app/gui/ActivationsTab.cpp" line="208"/>
        <source>|X|: tokens × channels</source>
        <translation>|X|：词元 × 通道</translation>
    </message>
    <message>
        <location filename="../app/gui/ActivationsTab.cpp" line="231"/>
        <source>This file has no residual-stream sites.</source>
        <translation>此文件不含残差流采集点。</translation>
    </message>
    <message>
        <location filename="../app/gui/ActivationsTab.cpp" line="236"/>
        <source>|A| at block %1 %2</source>
        <translation>块 %1 %2 处的 |A|</translation>
    </message>
    <message>
        <location filename="../app/gui/ActivationsTab.cpp" line="241"/>
        <source>Block %1 %2</source>
        <translation>块 %1 %2</translation>
    </message>
    <message>
        <location filename="../app/gui/ActivationsTab.cpp" line="242"/>
        <source>max |A|</source>
        <translation>最大 |A|</translation>
    </message>
    <message>
        <location filename="../app/gui/ActivationsTab.cpp" line="243"/>
        <source>massive activations</source>
        <translation>巨量激活</translation>
    </message>
    <message>
        <location filename="../app/gui/ActivationsTab.cpp" line="252"/>
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message numerus="yes">
        <location filename="../app/gui/ActivationsTab.cpp" line="264"/>
        <source>mean|A| %1 · median|A| %2 · %n massive activation(s)</source>
        <translation>
            <numerusform>mean|A| %1 · median|A| %2 · %n 个巨量激活</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../app/gui/ActivationsTab.cpp" line="267"/>
        <source> · outlier channels %1</source>
        <translation> · 离群通道 %1</translation>
    </message>
</context>
<context>
    <name>salience::gui::CaptureDialog</name>
    <message>
        <location filename="../app/gui/CaptureDialog.cpp" line="50"/>
        <source>Tokens of the text to run through the model (0: all of it).</source>
        <translation>送入模型的文本词元数（0：全部）。</translation>
    </message>
    <message>
        <location filename="../app/gui/CaptureDialog.cpp" line="51"/>
        <source>Tokens per forward pass, the BOS token included. The model&apos;s context length is the natural choice.</source>
        <translation>每次前向传播的词元数，包含 BOS 词元。通常取模型的上下文长度。</translation>
    </message>
    <message>
        <location filename="../app/gui/CaptureDialog.cpp" line="54"/>
        <source>The first tokens keep their raw layer inputs and block sites (for the Activations tab and methods that need X); every token adds to the per-channel statistics.</source>
        <translation>前若干个词元保留各层的原始输入和块内各位置的值（供“激活”标签页及需要 X 的方法使用）；所有词元都计入逐通道统计。</translation>
    </message>
    <message>
        <location filename="../app/gui/CaptureDialog.cpp" line="63"/>
        <source>Capture Activations</source>
        <translation>采集激活值</translation>
    </message>
    <message>
        <location filename="../app/gui/CaptureDialog.cpp" line="70"/>
        <source>found beside or inside the model</source>
        <translation>在模型旁边或模型内部查找</translation>
    </message>
    <message>
        <location filename="../app/gui/CaptureDialog.cpp" line="71"/>
        <source>keep in memory only</source>
        <translation>仅保存在内存中</translation>
    </message>
    <message>
        <location filename="../app/gui/CaptureDialog.cpp" line="72"/>
        <source>all</source>
        <translation>全部</translation>
    </message>
    <message>
        <location filename="../app/gui/CaptureDialog.cpp" line="73"/>
        <source>none (statistics only)</source>
        <translation>不保留（仅统计）</translation>
    </message>
    <message>
        <location filename="../app/gui/CaptureDialog.cpp" line="75"/>
        <location filename="../app/gui/CaptureDialog.cpp" line="76"/>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <location filename="../app/gui/CaptureDialog.cpp" line="80"/>
        <source>The text runs through the model&apos;s own forward pass; every linear layer&apos;s input is recorded. The captured activations replace the open ones.</source>
        <translation>文本经过模型自身的前向传播，记录每个线性层的输入。采集到的激活值将替换当前打开的激活值。</translation>
    </message>
    <message>
        <location filename="../app/gui/CaptureDialog.cpp" line="87"/>
        <source>Text file</source>
        <translation>文本文件</translation>
    </message>
    <message>
        <location filename="../app/gui/CaptureDialog.cpp" line="88"/>
        <source>Tokens</source>
        <translation>词元数</translation>
    </message>
    <message>
        <location filename="../app/gui/CaptureDialog.cpp" line="89"/>
        <source>Window</source>
        <translation>窗口</translation>
    </message>
    <message>
        <location filename="../app/gui/CaptureDialog.cpp" line="90"/>
        <source>Keep raw inputs of</source>
        <translation>保留原始输入的词元数</translation>
    </message>
    <message>
        <location filename="../app/gui/CaptureDialog.cpp" line="91"/>
        <location filename="../app/gui/CaptureDialog.cpp" line="147"/>
        <source>Tokenizer</source>
        <translation>分词器</translation>
    </message>
    <message>
        <location filename="../app/gui/CaptureDialog.cpp" line="92"/>
        <source>Save to</source>
        <translation>保存到</translation>
    </message>
    <message>
        <location filename="../app/gui/CaptureDialog.cpp" line="48"/>
        <source>Text to Capture On</source>
        <translation>用于采集的文本</translation>
    </message>
    <message>
        <location filename="../app/gui/CaptureDialog.cpp" line="148"/>
        <source>Tokenizers (*.bin *.gguf);;All files (*)</source>
        <translation>分词器 (*.bin *.gguf);;所有文件 (*)</translation>
    </message>
    <message>
        <location filename="../app/gui/CaptureDialog.cpp" line="156"/>
        <source>Save Activations</source>
        <translation>保存激活值</translation>
    </message>
    <message>
        <location filename="../app/gui/CaptureDialog.cpp" line="158"/>
        <source>Activation files (*.h5)</source>
        <translation>激活文件 (*.h5)</translation>
    </message>
    <message>
        <location filename="../app/gui/CaptureDialog.cpp" line="173"/>
        <source>Replace File</source>
        <translation>替换文件</translation>
    </message>
    <message>
        <location filename="../app/gui/CaptureDialog.cpp" line="173"/>
        <source>%1 already exists. Replace it?</source>
        <translation>%1 已存在。要替换吗？</translation>
    </message>
</context>
<context>
    <name>salience::gui::ComparisonView</name>
    <message>
        <location filename="../app/gui/ComparisonView.cpp" line="45"/>
        <source>At equal bits per weight</source>
        <translation>按相同的每权重比特数</translation>
    </message>
    <message>
        <location filename="../app/gui/ComparisonView.cpp" line="47"/>
        <source>Text for Perplexity</source>
        <translation>用于困惑度的文本</translation>
    </message>
    <message>
        <location filename="../app/gui/ComparisonView.cpp" line="48"/>
        <source>Run</source>
        <translation>运行</translation>
    </message>
    <message>
        <location filename="../app/gui/ComparisonView.cpp" line="48"/>
        <source>Tokens of that part to measure perplexity on (0: all).</source>
        <translation>用于测量困惑度的该部分词元数（0：全部）。</translation>
    </message>
    <message>
        <location filename="../app/gui/ComparisonView.cpp" line="49"/>
        <source>Log scale</source>
        <translation>对数刻度</translation>
    </message>
    <message>
        <location filename="../app/gui/ComparisonView.cpp" line="64"/>
        <source>The methods to compare. Activation-aware ones use the open activations, or capture them from the text&apos;s calibration half.</source>
        <translation>要比较的方法。依赖激活的方法使用已打开的激活，否则从文本的校准半部分采集。</translation>
    </message>
    <message>
        <location filename="../app/gui/ComparisonView.cpp" line="66"/>
        <source>Set each method&apos;s budget parameter (bits and group size, protected share, rank, sparsity, codebook bits) so that every method stores the target; otherwise each takes the plan&apos;s default recipe as it is.</source>
        <translation>设置每种方法的预算参数（比特数与分组大小、保护比例、秩、稀疏度、码本比特数），使所有方法都存储目标比特数；否则每种方法按计划的默认配方原样运行。</translation>
    </message>
    <message>
        <location filename="../app/gui/ComparisonView.cpp" line="72"/>
        <source>Average bits per weight over the quantized layers, every side array counted.</source>
        <translation>被量化各层的平均每权重比特数，计入所有附加数组。</translation>
    </message>
    <message>
        <location filename="../app/gui/ComparisonView.cpp" line="76"/>
        <source>How far from the target a method may land; one that cannot is not run.</source>
        <translation>方法结果允许偏离目标的幅度；达不到的方法不运行。</translation>
    </message>
    <message>
        <location filename="../app/gui/ComparisonView.cpp" line="77"/>
        <source>optional: a text for perplexity</source>
        <translation>可选：用于困惑度的文本</translation>
    </message>
    <message>
        <location filename="../app/gui/ComparisonView.cpp" line="83"/>
        <source>Target bits/weight</source>
        <translation>目标比特/权重</translation>
    </message>
    <message>
        <location filename="../app/gui/ComparisonView.cpp" line="84"/>
        <source>Tolerance</source>
        <translation>容差</translation>
    </message>
    <message>
        <location filename="../app/gui/ComparisonView.cpp" line="85"/>
        <source>Text file</source>
        <translation>文本文件</translation>
    </message>
    <message>
        <location filename="../app/gui/ComparisonView.cpp" line="86"/>
        <source>Part</source>
        <translation>部分</translation>
    </message>
    <message>
        <location filename="../app/gui/ComparisonView.cpp" line="87"/>
        <source>Tokens</source>
        <translation>词元数</translation>
    </message>
    <message>
        <location filename="../app/gui/ComparisonView.cpp" line="91"/>
        <source>Methods</source>
        <translation>方法</translation>
    </message>
    <message>
        <location filename="../app/gui/ComparisonView.cpp" line="97"/>
        <location filename="../app/gui/ComparisonView.cpp" line="220"/>
        <source>Method</source>
        <translation>方法</translation>
    </message>
    <message>
        <location filename="../app/gui/ComparisonView.cpp" line="97"/>
        <location filename="../app/gui/ComparisonView.cpp" line="220"/>
        <source>Bits/w</source>
        <translation>比特/权重</translation>
    </message>
    <message>
        <location filename="../app/gui/ComparisonView.cpp" line="97"/>
        <location filename="../app/gui/ComparisonView.cpp" line="220"/>
        <source>Perplexity</source>
        <translation>困惑度</translation>
    </message>
    <message>
        <location filename="../app/gui/ComparisonView.cpp" line="97"/>
        <location filename="../app/gui/ComparisonView.cpp" line="220"/>
        <source>Rank</source>
        <translation>名次</translation>
    </message>
    <message>
        <location filename="../app/gui/ComparisonView.cpp" line="97"/>
        <source>Mean rel. error</source>
        <translation>平均相对误差</translation>
    </message>
    <message>
        <location filename="../app/gui/ComparisonView.cpp" line="98"/>
        <location filename="../app/gui/ComparisonView.cpp" line="222"/>
        <source>Set for the budget</source>
        <translation>为预算设定</translation>
    </message>
    <message>
        <location filename="../app/gui/ComparisonView.cpp" line="98"/>
        <location filename="../app/gui/ComparisonView.cpp" line="222"/>
        <source>Stores</source>
        <translation>存储内容</translation>
    </message>
    <message>
        <location filename="../app/gui/ComparisonView.cpp" line="221"/>
        <source>Mean rel. output error</source>
        <translation>平均相对输出误差</translation>
    </message>
    <message>
        <location filename="../app/gui/ComparisonView.cpp" line="221"/>
        <source>Mean rel. weight error</source>
        <translation>平均相对权重误差</translation>
    </message>
    <message>
        <location filename="../app/gui/ComparisonView.cpp" line="246"/>
        <source>float</source>
        <translation>浮点</translation>
    </message>
    <message>
        <location filename="../app/gui/ComparisonView.cpp" line="251"/>
        <source> (off the budget)</source>
        <translation>（偏离预算）</translation>
    </message>
    <message>
        <location filename="../app/gui/ComparisonView.cpp" line="260"/>
        <source> (not run)</source>
        <translation>（未运行）</translation>
    </message>
    <message>
        <location filename="../app/gui/ComparisonView.cpp" line="261"/>
        <source>cannot reach the budget</source>
        <translation>无法达到预算</translation>
    </message>
    <message>
        <location filename="../app/gui/ComparisonView.cpp" line="268"/>
        <source>Each method&apos;s budget parameter is set so that it stores %1 ± %2 bits per weight.</source>
        <translation>每种方法的预算参数已设定，使其存储 %1 ± %2 比特/权重。</translation>
    </message>
    <message>
        <location filename="../app/gui/ComparisonView.cpp" line="272"/>
        <source>Ranked by %1 (1 = best).</source>
        <translation>按 %1 排名（1 = 最好）。</translation>
    </message>
    <message>
        <location filename="../app/gui/ComparisonView.cpp" line="274"/>
        <source>%1 not run: %2</source>
        <translation>%1 未运行：%2</translation>
    </message>
    <message>
        <location filename="../app/gui/ComparisonView.cpp" line="278"/>
        <source>Perplexity over %1 tokens in %2 windows.</source>
        <translation>困惑度基于 %2 个窗口中的 %1 个词元。</translation>
    </message>
    <message>
        <location filename="../app/gui/ComparisonView.cpp" line="295"/>
        <source>Methods spend bits in different ways (scales, a low-rank correction, protected weights, a codebook, a pruning mask): at equal bits per weight, which one wins, and on which layers?</source>
        <translation>各方法花费比特的方式不同（缩放因子、低秩修正、受保护权重、码本、剪枝掩码）：在相同的每权重比特数下，哪种方法胜出，又在哪些层上胜出？</translation>
    </message>
</context>
<context>
    <name>salience::gui::GgufOptionsDialog</name>
    <message>
        <location filename="../app/gui/ExportDialogs.cpp" line="49"/>
        <source>Export GGUF</source>
        <translation>导出 GGUF</translation>
    </message>
    <message>
        <location filename="../app/gui/ExportDialogs.cpp" line="42"/>
        <source>As the plan says (per layer)</source>
        <translation>按计划（逐层）</translation>
    </message>
    <message>
        <location filename="../app/gui/ExportDialogs.cpp" line="43"/>
        <source>llama-quantize mix</source>
        <translation>llama-quantize 混合方案</translation>
    </message>
    <message>
        <location filename="../app/gui/ExportDialogs.cpp" line="44"/>
        <source>One type for every quantized layer</source>
        <translation>所有量化层使用同一类型</translation>
    </message>
    <message>
        <location filename="../app/gui/ExportDialogs.cpp" line="51"/>
        <source>As the plan says: each quantized layer is written in the llama.cpp type that holds its grid, exactly, from its own scales. A llama-quantize mix gives every other tensor (layers the plan keeps, the embedding, the classifier) the type llama-quantize&apos;s preset gives it, while the plan&apos;s quantized layers keep their results; without a plan the file is what llama-quantize writes. One type writes every quantized layer in that type, quantized again from the dequantized weights where the type does not hold the result. Otherwise layers the plan keeps in full precision keep their source type, and norms and the embedding stay float32.</source>
        <translation>按计划：每个量化层以能容纳其网格的 llama.cpp 类型写出，按其自身的缩放因子精确写出。llama-quantize 混合方案为其余所有张量（计划保留的层、嵌入层、分类器）赋予 llama-quantize 预设给出的类型，而计划中已量化的层保留其结果；没有计划时，文件与 llama-quantize 写出的相同。同一类型：所有量化层都以该类型写出，若该类型无法容纳结果，则由反量化后的权重重新量化。除此之外，计划中保持全精度的层保留源文件的类型，归一化层和嵌入层保持 float32。</translation>
    </message>
    <message>
        <location filename="../app/gui/ExportDialogs.cpp" line="65"/>
        <source>Each quantized layer in the type that holds its grid (Q4_0, Q8_0, a recipe&apos;s block format, ...); a grid no type holds is refused.</source>
        <translation>每个量化层使用能容纳其网格的类型（Q4_0、Q8_0、量化方案的块格式等）；没有类型能容纳的网格将被拒绝。</translation>
    </message>
    <message>
        <location filename="../app/gui/ExportDialogs.cpp" line="67"/>
        <source>llama-quantize&apos;s preset (as “llama-quantize F32.gguf out.gguf Q4_K_M”) for every tensor the plan does not quantize; general.file_type is the preset&apos;s.</source>
        <translation>计划未量化的每个张量使用 llama-quantize 的预设（如同 “llama-quantize F32.gguf out.gguf Q4_K_M”）；general.file_type 取预设的值。</translation>
    </message>
    <message>
        <location filename="../app/gui/ExportDialogs.cpp" line="69"/>
        <source>Every quantized layer in this type, requantized where it does not hold the result.</source>
        <translation>所有量化层都使用此类型；该类型无法容纳结果时重新量化。</translation>
    </message>
    <message>
        <location filename="../app/gui/ExportDialogs.cpp" line="77"/>
        <source>8-bit, blocks of 32</source>
        <translation>8 位，每块 32 个</translation>
    </message>
    <message>
        <location filename="../app/gui/ExportDialogs.cpp" line="78"/>
        <source>4-bit symmetric, blocks of 32</source>
        <translation>4 位对称，每块 32 个</translation>
    </message>
    <message>
        <location filename="../app/gui/ExportDialogs.cpp" line="79"/>
        <source>4-bit with offset</source>
        <translation>4 位，带偏移</translation>
    </message>
    <message>
        <location filename="../app/gui/ExportDialogs.cpp" line="80"/>
        <source>5-bit symmetric, blocks of 32</source>
        <translation>5 位对称，每块 32 个</translation>
    </message>
    <message>
        <location filename="../app/gui/ExportDialogs.cpp" line="81"/>
        <source>5-bit with offset</source>
        <translation>5 位，带偏移</translation>
    </message>
    <message>
        <location filename="../app/gui/ExportDialogs.cpp" line="82"/>
        <source>2-bit k-quant, super-blocks of 256</source>
        <translation>2 位 k-quant，超块 256 个</translation>
    </message>
    <message>
        <location filename="../app/gui/ExportDialogs.cpp" line="83"/>
        <source>3-bit k-quant, super-blocks of 256</source>
        <translation>3 位 k-quant，超块 256 个</translation>
    </message>
    <message>
        <location filename="../app/gui/ExportDialogs.cpp" line="84"/>
        <source>4-bit k-quant, super-blocks of 256</source>
        <translation>4 位 k-quant，超块 256 个</translation>
    </message>
    <message>
        <location filename="../app/gui/ExportDialogs.cpp" line="85"/>
        <source>5-bit k-quant, super-blocks of 256</source>
        <translation>5 位 k-quant，超块 256 个</translation>
    </message>
    <message>
        <location filename="../app/gui/ExportDialogs.cpp" line="86"/>
        <source>6-bit k-quant, super-blocks of 256</source>
        <translation>6 位 k-quant，超块 256 个</translation>
    </message>
    <message>
        <location filename="../app/gui/ExportDialogs.cpp" line="87"/>
        <source>4-bit non-linear levels, blocks of 32</source>
        <translation>4 位非线性量化级，每块 32 个</translation>
    </message>
    <message>
        <location filename="../app/gui/ExportDialogs.cpp" line="88"/>
        <source>half precision</source>
        <translation>半精度</translation>
    </message>
    <message>
        <location filename="../app/gui/ExportDialogs.cpp" line="89"/>
        <source>bfloat16</source>
        <translation>bfloat16</translation>
    </message>
    <message>
        <location filename="../app/gui/ExportDialogs.cpp" line="90"/>
        <source>full precision</source>
        <translation>全精度</translation>
    </message>
    <message>
        <location filename="../app/gui/ExportDialogs.cpp" line="94"/>
        <source>%1 — %2, %3 bits/weight</source>
        <translation>%1 — %2，每权重 %3 位</translation>
    </message>
</context>
<context>
    <name>salience::gui::MainWindow</name>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="72"/>
        <source>Weights</source>
        <translation>权重</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="73"/>
        <source>Activations</source>
        <translation>激活</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="74"/>
        <source>Spectrum</source>
        <translation>奇异值谱</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="75"/>
        <source>Quantization</source>
        <translation>量化</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="120"/>
        <source>Layers</source>
        <translation>层</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="126"/>
        <source>Recipe</source>
        <translation>量化方案</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="132"/>
        <source>Model overview</source>
        <translation>模型概览</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="146"/>
        <source>Set rank budget to %1</source>
        <translation>将秩预算设为 %1</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="166"/>
        <source>&amp;Open Model…</source>
        <translation>打开模型(&amp;O)…</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="168"/>
        <source>Open &amp;Activations…</source>
        <translation>打开激活文件(&amp;A)…</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="168"/>
        <source>Ctrl+Shift+O</source>
        <translation>Ctrl+Shift+O</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="170"/>
        <source>Open &amp;Demo Model</source>
        <translation>打开演示模型(&amp;D)</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="170"/>
        <source>Ctrl+D</source>
        <translation>Ctrl+D</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="173"/>
        <source>&amp;Load Plan…</source>
        <translation>加载量化计划(&amp;L)…</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="173"/>
        <source>Ctrl+L</source>
        <translation>Ctrl+L</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="174"/>
        <source>&amp;Save Plan</source>
        <translation>保存量化计划(&amp;S)</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="182"/>
        <source>Save Plan &amp;As…</source>
        <translation>量化计划另存为(&amp;A)…</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="183"/>
        <source>&amp;Fake-quantized safetensors…</source>
        <translation>伪量化 safetensors(&amp;F)…</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="226"/>
        <source>Ctrl+E</source>
        <translation>Ctrl+E</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="189"/>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="172"/>
        <source>Open Run &amp;Record…</source>
        <translation>打开运行记录(&amp;R)…</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="183"/>
        <source>Ctrl+Shift+E</source>
        <translation>Ctrl+Shift+E</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="185"/>
        <source>&amp;GGUF…</source>
        <translation>GGUF(&amp;G)…</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="186"/>
        <source>GPTQ &amp;Safetensors…</source>
        <translation>GPTQ Safetensors(&amp;S)…</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="187"/>
        <source>&amp;llama2.c Checkpoint…</source>
        <translation>llama2.c 检查点(&amp;L)…</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="188"/>
        <source>&amp;Run Record (HDF5)…</source>
        <translation>运行记录 (HDF5)(&amp;R)…</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="191"/>
        <source>&amp;Undo</source>
        <translation>撤销(&amp;U)</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="195"/>
        <source>&amp;Redo</source>
        <translation>重做(&amp;R)</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="199"/>
        <source>Apply Recipe to &amp;Selection</source>
        <translation>将方案应用到所选层(&amp;S)</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="199"/>
        <source>Ctrl+Return</source>
        <translation>Ctrl+Return</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="200"/>
        <source>Apply recipe to selection</source>
        <translation>将方案应用到所选层</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="201"/>
        <source>Apply Recipe to &amp;Block</source>
        <translation>将方案应用到整个块(&amp;B)</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="201"/>
        <source>Ctrl+B</source>
        <translation>Ctrl+B</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="202"/>
        <source>Apply recipe to block</source>
        <translation>将方案应用到整个块</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="203"/>
        <source>Apply Recipe to All Layers of This &amp;Role</source>
        <translation>将方案应用到同角色的所有层(&amp;R)</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="203"/>
        <source>Ctrl+Shift+R</source>
        <translation>Ctrl+Shift+R</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="204"/>
        <source>Apply recipe to role</source>
        <translation>将方案应用到同角色的层</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="205"/>
        <source>Reset &amp;Layer</source>
        <translation>重置层(&amp;L)</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="205"/>
        <source>Ctrl+Backspace</source>
        <translation>Ctrl+Backspace</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="208"/>
        <source>&amp;Reset Layout</source>
        <translation>重置布局(&amp;R)</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="210"/>
        <source>&amp;Light Plots</source>
        <translation>浅色图表(&amp;L)</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="212"/>
        <source>&amp;Dark Plots</source>
        <translation>深色图表(&amp;D)</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="220"/>
        <source>Quantize &amp;Selected</source>
        <translation>量化所选层(&amp;S)</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="220"/>
        <source>Ctrl+R</source>
        <translation>Ctrl+R</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="222"/>
        <source>Quantize &amp;All</source>
        <translation>全部量化(&amp;A)</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="222"/>
        <source>Ctrl+Shift+A</source>
        <translation>Ctrl+Shift+A</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="224"/>
        <source>&amp;Cancel</source>
        <translation>取消(&amp;C)</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="225"/>
        <source>Capture &amp;Activations…</source>
        <translation>采集激活值(&amp;A)…</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="225"/>
        <source>Ctrl+Shift+C</source>
        <translation>Ctrl+Shift+C</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="226"/>
        <source>&amp;Evaluate Perplexity…</source>
        <translation>评估困惑度(&amp;E)…</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="228"/>
        <source>&amp;Sensitivity…</source>
        <translation>敏感度(&amp;S)…</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="228"/>
        <source>Ctrl+Shift+K</source>
        <translation>Ctrl+Shift+K</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="229"/>
        <source>&amp;Compare Methods at Equal Budget…</source>
        <translation>等预算比较方法(&amp;C)…</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="229"/>
        <source>Ctrl+Shift+M</source>
        <translation>Ctrl+Shift+M</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="232"/>
        <source>Method &amp;Glossary</source>
        <translation>方法术语表(&amp;G)</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="233"/>
        <source>&amp;About Salience</source>
        <translation>关于 Salience(&amp;A)</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="238"/>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="243"/>
        <source>Open &amp;Recent</source>
        <translation>最近打开(&amp;R)</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="249"/>
        <source>&amp;Export</source>
        <translation>导出(&amp;E)</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="259"/>
        <source>&amp;Edit</source>
        <translation>编辑(&amp;E)</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="268"/>
        <source>&amp;Plan</source>
        <translation>量化计划(&amp;P)</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="269"/>
        <source>Apply llama-quantize &amp;Mix</source>
        <translation>应用 llama-quantize 混合方案(&amp;M)</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="275"/>
        <source>Round each layer onto the type llama-quantize&apos;s %1 gives it, with the current method (any method with a grid: rtn, GPTQ, AWQ, ...)</source>
        <translation>用当前方法（任何带网格的方法：rtn、GPTQ、AWQ 等）把每一层舍入到 llama-quantize 的 %1 为它选定的类型</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="280"/>
        <source>&amp;Analyze</source>
        <translation>分析(&amp;A)</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="284"/>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="296"/>
        <source>&amp;Run</source>
        <translation>运行(&amp;R)</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="305"/>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="309"/>
        <source>Main</source>
        <translation>主工具栏</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="331"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="361"/>
        <source>%1: done</source>
        <translation>%1：已完成</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="365"/>
        <source>%1: cancelled, nothing was applied</source>
        <translation>%1：已取消，未应用任何更改</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="367"/>
        <source>%1 failed</source>
        <translation>%1 失败</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="376"/>
        <source>Cannot analyze the layer</source>
        <translation>无法分析该层</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="378"/>
        <source>Cannot compute the spectrum</source>
        <translation>无法计算奇异值谱</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="380"/>
        <source>Preview failed: %1</source>
        <translation>预览失败：%1</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="394"/>
        <source>activations changed — evaluate again</source>
        <translation>激活值已更改 — 请重新评估</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="397"/>
        <source>model changed — evaluate again</source>
        <translation>模型已更改 — 请重新评估</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="398"/>
        <source>plan changed — evaluate again</source>
        <translation>方案已更改 — 请重新评估</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindowFiles.cpp" line="46"/>
        <source>Opened %1</source>
        <translation>已打开 %1</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindowFiles.cpp" line="49"/>
        <source>Cannot open the model</source>
        <translation>无法打开模型</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindowFiles.cpp" line="65"/>
        <source>Opened activations %1 (%2 layers matched)</source>
        <translation>已打开激活文件 %1（匹配 %2 个层）</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindowFiles.cpp" line="69"/>
        <source>Cannot open the activations</source>
        <translation>无法打开激活文件</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindowFiles.cpp" line="99"/>
        <location filename="../app/gui/MainWindowFiles.cpp" line="106"/>
        <location filename="../app/gui/MainWindowFiles.cpp" line="124"/>
        <source>Cannot open the run record</source>
        <translation>无法打开运行记录</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindowFiles.cpp" line="100"/>
        <source>%1 was recorded on the model %2, which is not found. Open that model first, then the record.</source>
        <translation>%1 记录于模型 %2，但找不到该模型。请先打开该模型，再打开记录。</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindowFiles.cpp" line="107"/>
        <source>%1 names layers the open model does not have: it was recorded on %2.</source>
        <translation>%1 中的层在当前模型中不存在：它记录于 %2。</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindowFiles.cpp" line="116"/>
        <source>Opened the run record %1: %2 layers, %3 with their quantized weights</source>
        <translation>已打开运行记录 %1：%2 层，其中 %3 层含量化权重</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindowFiles.cpp" line="135"/>
        <source>demo model</source>
        <translation>演示模型</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindowFiles.cpp" line="135"/>
        <source>planted activations</source>
        <translation>预置激活</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindowPreview.cpp" line="68"/>
        <source>&lt;b&gt;%1&lt;/b&gt; &amp;nbsp; %2 × %3 · block %4 · %5%6</source>
        <translation>&lt;b&gt;%1&lt;/b&gt; &amp;nbsp; %2 × %3 · 块 %4 · %5%6</translation>
    </message>
    <message numerus="yes">
        <location filename="../app/gui/MainWindowPreview.cpp" line="74"/>
        <source> · %n layers selected</source>
        <translation>
            <numerusform> · 已选 %n 个层</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindowPreview.cpp" line="183"/>
        <source>Set %1 to %2</source>
        <translation>将 %1 设为 %2</translation>
    </message>
    <message numerus="yes">
        <location filename="../app/gui/MainWindowPreview.cpp" line="184"/>
        <source>Set %n layers to %1</source>
        <translation>
            <numerusform>将 %n 个层设为 %1</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindowJobs.cpp" line="15"/>
        <source>Quantize all layers</source>
        <translation>量化所有层</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindowJobs.cpp" line="35"/>
        <source>Quantize selected layers</source>
        <translation>量化所选层</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindowJobs.cpp" line="52"/>
        <source>The model or plan changed while the job ran: its results were not applied</source>
        <translation>任务运行期间模型或量化计划已改变：其结果未被应用</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindowExports.cpp" line="61"/>
        <source>Export fake-quantized safetensors</source>
        <translation>导出伪量化 safetensors</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindowExports.cpp" line="62"/>
        <location filename="../app/gui/MainWindowExports.cpp" line="141"/>
        <source>Export GGUF</source>
        <translation>导出 GGUF</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindowExports.cpp" line="63"/>
        <source>Export GPTQ safetensors</source>
        <translation>导出 GPTQ safetensors</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindowExports.cpp" line="64"/>
        <source>Export llama2.c checkpoint</source>
        <translation>导出 llama2.c 检查点</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindowExports.cpp" line="65"/>
        <source>Export run record</source>
        <translation>导出运行记录</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindowRuns.cpp" line="24"/>
        <source>Capture activations</source>
        <translation>采集激活值</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindowRuns.cpp" line="51"/>
        <source>captured from %1</source>
        <translation>采集自 %1</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindowRuns.cpp" line="54"/>
        <source>Captured %1 tokens of %2: statistics of %3 layers, raw inputs of the first %4 tokens</source>
        <translation>已采集 %2 的 %1 个词元：%3 层的统计量，前 %4 个词元的原始输入</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindowRuns.cpp" line="71"/>
        <source>Evaluate perplexity</source>
        <translation>评估困惑度</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindowRuns.cpp" line="102"/>
        <source>Perplexity on %1: %2 (float) → %3 (quantized)</source>
        <translation>%1 上的困惑度：%2（浮点）→ %3（量化）</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindowFiles.cpp" line="151"/>
        <source>Loaded plan %1</source>
        <translation>已加载量化计划 %1</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindowFiles.cpp" line="155"/>
        <source>Cannot load the plan</source>
        <translation>无法加载量化计划</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindowFiles.cpp" line="165"/>
        <source>Saved plan %1</source>
        <translation>已保存量化计划 %1</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindowFiles.cpp" line="169"/>
        <source>Cannot save the plan</source>
        <translation>无法保存量化计划</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindowFiles.cpp" line="178"/>
        <source>Unsaved plan</source>
        <translation>量化计划未保存</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindowFiles.cpp" line="179"/>
        <source>The plan has unsaved changes. Save them first?</source>
        <translation>量化计划有未保存的更改。是否先保存？</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindowFiles.cpp" line="191"/>
        <source>Open Model</source>
        <translation>打开模型</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindowFiles.cpp" line="192"/>
        <source>Models (*.safetensors *.gguf *.bin *.json);;All files (*)</source>
        <translation>模型 (*.safetensors *.gguf *.bin *.json);;所有文件 (*)</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindowFiles.cpp" line="202"/>
        <source>Open Activations</source>
        <translation>打开激活文件</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindowFiles.cpp" line="204"/>
        <source>Activation files (*.h5 *.hdf5);;llama.cpp imatrix (*.dat *.gguf);;All files (*)</source>
        <translation>激活文件 (*.h5 *.hdf5);;llama.cpp 重要性矩阵 (*.dat *.gguf);;所有文件 (*)</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindowFiles.cpp" line="213"/>
        <source>Open Run Record</source>
        <translation>打开运行记录</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindowFiles.cpp" line="215"/>
        <source>Run records (*.h5 *.hdf5);;All files (*)</source>
        <translation>运行记录 (*.h5 *.hdf5);;所有文件 (*)</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindowFiles.cpp" line="222"/>
        <source>Load Plan</source>
        <translation>加载量化计划</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindowFiles.cpp" line="223"/>
        <source>Plans (*.json);;All files (*)</source>
        <translation>量化计划 (*.json);;所有文件 (*)</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindowFiles.cpp" line="232"/>
        <source>Save Plan</source>
        <translation>保存量化计划</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindowFiles.cpp" line="232"/>
        <source>Plans (*.json)</source>
        <translation>量化计划 (*.json)</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindowExports.cpp" line="95"/>
        <source>GPTQ %1-bit, group %2</source>
        <translation>GPTQ %1 位，分组 %2</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindowExports.cpp" line="97"/>
        <source>%1, llama-quantize mix %2</source>
        <translation>%1，llama-quantize 混合方案 %2</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindowExports.cpp" line="112"/>
        <source>Exported %1 (%2)</source>
        <translation>已导出 %1（%2）</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindowExports.cpp" line="114"/>
        <source>: %1 lossless, %2 requantized</source>
        <translation>：%1 层无损，%2 层重新量化</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindowExports.cpp" line="116"/>
        <source>, %1 clipped or kept as float</source>
        <translation>，%1 层截断或保留为浮点</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindowExports.cpp" line="117"/>
        <source>, %1 from the source weights</source>
        <translation>，%1 层来自源权重</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindowExports.cpp" line="120"/>
        <source>; %1 with a note in the report (fallback type, not packable)</source>
        <translation>；%1 层在报告中附有说明（回退类型、无法打包）</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindowExports.cpp" line="130"/>
        <source>Export Fake-quantized Safetensors</source>
        <translation>导出伪量化 Safetensors</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindowExports.cpp" line="131"/>
        <source>Safetensors (*.safetensors)</source>
        <translation>Safetensors (*.safetensors)</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindowExports.cpp" line="141"/>
        <source>GGUF (*.gguf)</source>
        <translation>GGUF (*.gguf)</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindowExports.cpp" line="148"/>
        <source>Export GPTQ Safetensors (a directory)</source>
        <translation>导出 GPTQ Safetensors（一个目录）</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindowExports.cpp" line="149"/>
        <source>Directories (*)</source>
        <translation>目录 (*)</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindowExports.cpp" line="154"/>
        <source>Export GPTQ Safetensors</source>
        <translation>导出 GPTQ Safetensors</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindowExports.cpp" line="155"/>
        <source>%1 is not empty. Replace the GPTQ files in it?</source>
        <translation>%1 不是空目录。要替换其中的 GPTQ 文件吗？</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindowExports.cpp" line="162"/>
        <source>Export llama2.c Checkpoint</source>
        <translation>导出 llama2.c 检查点</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindowExports.cpp" line="163"/>
        <source>llama2.c checkpoints (*.bin)</source>
        <translation>llama2.c 检查点 (*.bin)</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindowExports.cpp" line="173"/>
        <source>Export Run Record</source>
        <translation>导出运行记录</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindowExports.cpp" line="173"/>
        <source>HDF5 (*.h5)</source>
        <translation>HDF5 (*.h5)</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindowRuns.cpp" line="127"/>
        <source>Evaluate Perplexity on a Text</source>
        <translation>在文本上评估困惑度</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindowRuns.cpp" line="129"/>
        <source>Text files (*.txt *.raw *.md);;All files (*)</source>
        <translation>文本文件 (*.txt *.raw *.md);;所有文件 (*)</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="435"/>
        <source>About Salience</source>
        <translation>关于 Salience</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="436"/>
        <source>&lt;h3&gt;Salience %1&lt;/h3&gt;&lt;p&gt;A workbench for looking inside a language model and quantizing it: massive activations, outlier channels and singular spectra, layer by layer, with a recipe per layer and a live preview.&lt;/p&gt;</source>
        <translation>&lt;h3&gt;Salience %1&lt;/h3&gt;&lt;p&gt;一个深入查看语言模型内部并对其进行量化的工作台：逐层分析巨量激活、离群通道和奇异值谱，为每一层设置量化方案，并实时预览效果。&lt;/p&gt;</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="454"/>
        <source>no model</source>
        <translation>未打开模型</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindowPlan.cpp" line="39"/>
        <source>Apply llama-quantize mix %1 (%2)</source>
        <translation>应用 llama-quantize 混合方案 %1（%2）</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindowPlan.cpp" line="40"/>
        <source>Plan: every layer onto the type llama-quantize&apos;s %1 gives it, by %2</source>
        <translation>量化计划：每一层都由 %2 量化到 llama-quantize 的 %1 为它选定的类型</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindowPlan.cpp" line="45"/>
        <source>Cannot apply the llama-quantize mix</source>
        <translation>无法应用 llama-quantize 混合方案</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindowAnalyze.cpp" line="106"/>
        <source>Sensitivity</source>
        <translation>敏感度</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindowAnalyze.cpp" line="110"/>
        <source>Comparison</source>
        <translation>方法比较</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindowAnalyze.cpp" line="164"/>
        <source>Candidates</source>
        <translation>候选方案</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindowAnalyze.cpp" line="165"/>
        <source>Measure sensitivity</source>
        <translation>测量敏感度</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindowAnalyze.cpp" line="228"/>
        <source>Sensitivity: %1 bits per weight allocated. %2</source>
        <translation>敏感度：已分配 %1 比特/权重。%2</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindowAnalyze.cpp" line="242"/>
        <source>Apply sensitivity allocation (%1 bits per weight)</source>
        <translation>应用敏感度分配（%1 比特/权重）</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindowAnalyze.cpp" line="243"/>
        <source>Plan: the sensitivity allocation, %1 bits per weight (Edit ▸ Undo restores the previous plan)</source>
        <translation>计划：敏感度分配，%1 比特/权重（编辑 ▸ 撤销可恢复先前的计划）</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindowAnalyze.cpp" line="259"/>
        <source>Compare methods</source>
        <translation>比较方法</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindowAnalyze.cpp" line="271"/>
        <source>Activation-aware methods used the open activations (%1).</source>
        <translation>依赖激活的方法使用了已打开的激活（%1）。</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindowAnalyze.cpp" line="285"/>
        <source>Activation-aware methods used activations captured from %1 tokens of the %2 part of %3.</source>
        <translation>依赖激活的方法使用了从 %3 的 %2 部分中 %1 个词元采集的激活。</translation>
    </message>
    <message numerus="yes">
        <location filename="../app/gui/MainWindowAnalyze.cpp" line="297"/>
        <source>Compared %n method(s)</source>
        <translation>
            <numerusform>已比较 %n 种方法</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>salience::gui::QuantizationTab</name>
    <message>
        <location filename="../app/gui/QuantizationTab.cpp" line="21"/>
        <source>Error W − Ŵ</source>
        <translation>误差 W − Ŵ</translation>
    </message>
    <message>
        <location filename="../app/gui/QuantizationTab.cpp" line="21"/>
        <source>Original |W|</source>
        <translation>原始 |W|</translation>
    </message>
    <message>
        <location filename="../app/gui/QuantizationTab.cpp" line="21"/>
        <source>Quantized |Ŵ|</source>
        <translation>量化后 |Ŵ|</translation>
    </message>
    <message>
        <location filename="../app/gui/QuantizationTab.cpp" line="23"/>
        <source>input column</source>
        <translation>输入列</translation>
    </message>
    <message>
        <location filename="../app/gui/QuantizationTab.cpp" line="23"/>
        <location filename="../app/gui/QuantizationTab.cpp" line="26"/>
        <source>output row</source>
        <translation>输出行</translation>
    </message>
    <message>
        <location filename="../app/gui/QuantizationTab.cpp" line="26"/>
        <source>group</source>
        <translation>分组</translation>
    </message>
    <message>
        <location filename="../app/gui/QuantizationTab.cpp" line="34"/>
        <source>Log counts</source>
        <translation>对数计数</translation>
    </message>
    <message>
        <location filename="../app/gui/QuantizationTab.cpp" line="39"/>
        <source>Show:</source>
        <translation>显示：</translation>
    </message>
    <message>
        <location filename="../app/gui/QuantizationTab.cpp" line="62"/>
        <source>Distribution of W − Ŵ</source>
        <translation>W − Ŵ 的分布</translation>
    </message>
    <message>
        <location filename="../app/gui/QuantizationTab.cpp" line="63"/>
        <source>error</source>
        <translation>误差</translation>
    </message>
    <message>
        <location filename="../app/gui/QuantizationTab.cpp" line="73"/>
        <source>Codebook per output row (%1 entries)</source>
        <translation>每个输出行的码本（%1 个表项）</translation>
    </message>
    <message>
        <location filename="../app/gui/QuantizationTab.cpp" line="77"/>
        <source>Scales per group (%1)</source>
        <translation>各分组的缩放因子（%1）</translation>
    </message>
    <message>
        <location filename="../app/gui/QuantizationTab.cpp" line="91"/>
        <source>Relative weight error</source>
        <translation>相对权重误差</translation>
    </message>
    <message>
        <location filename="../app/gui/QuantizationTab.cpp" line="92"/>
        <source>Relative output error</source>
        <translation>相对输出误差</translation>
    </message>
    <message>
        <location filename="../app/gui/QuantizationTab.cpp" line="93"/>
        <source>— (no activations)</source>
        <translation>—（无激活数据）</translation>
    </message>
    <message>
        <location filename="../app/gui/QuantizationTab.cpp" line="94"/>
        <source>SQNR</source>
        <translation>SQNR</translation>
    </message>
    <message>
        <location filename="../app/gui/QuantizationTab.cpp" line="94"/>
        <source>%1 dB</source>
        <translation>%1 dB</translation>
    </message>
    <message>
        <location filename="../app/gui/QuantizationTab.cpp" line="95"/>
        <source>Bits per weight</source>
        <translation>每权重比特数</translation>
    </message>
    <message>
        <location filename="../app/gui/QuantizationTab.cpp" line="103"/>
        <source>codes</source>
        <translation>量化码</translation>
    </message>
    <message>
        <location filename="../app/gui/QuantizationTab.cpp" line="104"/>
        <source>scales</source>
        <translation>缩放因子</translation>
    </message>
    <message>
        <location filename="../app/gui/QuantizationTab.cpp" line="105"/>
        <source>zero points</source>
        <translation>零点</translation>
    </message>
    <message>
        <location filename="../app/gui/QuantizationTab.cpp" line="106"/>
        <source>permutation</source>
        <translation>置换</translation>
    </message>
    <message>
        <location filename="../app/gui/QuantizationTab.cpp" line="107"/>
        <source>input scaling</source>
        <translation>输入缩放</translation>
    </message>
    <message>
        <location filename="../app/gui/QuantizationTab.cpp" line="108"/>
        <source>rotation</source>
        <translation>旋转</translation>
    </message>
    <message>
        <location filename="../app/gui/QuantizationTab.cpp" line="109"/>
        <source>sparse weights</source>
        <translation>稀疏权重</translation>
    </message>
    <message>
        <location filename="../app/gui/QuantizationTab.cpp" line="110"/>
        <source>low-rank factors</source>
        <translation>低秩因子</translation>
    </message>
    <message>
        <location filename="../app/gui/QuantizationTab.cpp" line="111"/>
        <source>codebook</source>
        <translation>码本</translation>
    </message>
    <message>
        <location filename="../app/gui/QuantizationTab.cpp" line="112"/>
        <source>dense weights</source>
        <translation>稠密权重</translation>
    </message>
    <message>
        <location filename="../app/gui/QuantizationTab.cpp" line="113"/>
        <source>pruning mask</source>
        <translation>剪枝掩码</translation>
    </message>
    <message>
        <location filename="../app/gui/QuantizationTab.cpp" line="127"/>
        <source>|W|</source>
        <translation>|W|</translation>
    </message>
    <message>
        <location filename="../app/gui/QuantizationTab.cpp" line="130"/>
        <source>|Ŵ|</source>
        <translation>|Ŵ|</translation>
    </message>
    <message>
        <location filename="../app/gui/QuantizationTab.cpp" line="133"/>
        <source>W − Ŵ</source>
        <translation>W − Ŵ</translation>
    </message>
    <message>
        <location filename="../app/gui/QuantizationTab.cpp" line="145"/>
        <source>Select a layer to preview its recipe.</source>
        <translation>选择一个层以预览其量化方案。</translation>
    </message>
</context>
<context>
    <name>salience::gui::RunRecordOptionsDialog</name>
    <message>
        <location filename="../app/gui/ExportDialogs.cpp" line="184"/>
        <source>Include codes and scales</source>
        <translation>包含整数码和缩放因子</translation>
    </message>
    <message>
        <location filename="../app/gui/ExportDialogs.cpp" line="187"/>
        <source>Export Run Record</source>
        <translation>导出运行记录</translation>
    </message>
    <message>
        <location filename="../app/gui/ExportDialogs.cpp" line="188"/>
        <source>One HDF5 file with every layer&apos;s recipe, errors and bits per weight, for h5py or MATLAB. With codes and scales, each quantized layer&apos;s integer codes, scales and zero points are included too (a larger file).</source>
        <translation>一个 HDF5 文件，包含每一层的量化方案、误差和每权重位数，可用 h5py 或 MATLAB 读取。勾选整数码和缩放因子时，还包含每个量化层的整数码、缩放因子和零点（文件更大）。</translation>
    </message>
</context>
<context>
    <name>salience::gui::SensitivityView</name>
    <message>
        <location filename="../app/gui/SensitivityView.cpp" line="51"/>
        <source>Calibration Text</source>
        <translation>校准文本</translation>
    </message>
    <message>
        <location filename="../app/gui/SensitivityView.cpp" line="57"/>
        <source>Run</source>
        <translation>运行</translation>
    </message>
    <message>
        <location filename="../app/gui/SensitivityView.cpp" line="59"/>
        <source>Apply as Plan</source>
        <translation>应用为计划</translation>
    </message>
    <message>
        <location filename="../app/gui/SensitivityView.cpp" line="65"/>
        <source>Which half of the text to measure on: tune on the calibration half, judge perplexity on the held-out half (Run ▸ Evaluate Perplexity).</source>
        <translation>在文本的哪一半上测量：在校准半部分上调整，在留出半部分上评判困惑度（运行 ▸ 评估困惑度）。</translation>
    </message>
    <message>
        <location filename="../app/gui/SensitivityView.cpp" line="53"/>
        <source>Calibration tokens of that part (0: all). Every cell runs the model over them.</source>
        <translation>该部分的校准词元数（0：全部）。每个单元格都在这些词元上运行模型。</translation>
    </message>
    <message>
        <location filename="../app/gui/SensitivityView.cpp" line="68"/>
        <source>Tokens per window, the BOS token included.</source>
        <translation>每个窗口的词元数，包含 BOS 词元。</translation>
    </message>
    <message>
        <location filename="../app/gui/SensitivityView.cpp" line="69"/>
        <source>default: %1</source>
        <translation>默认：%1</translation>
    </message>
    <message>
        <location filename="../app/gui/SensitivityView.cpp" line="70"/>
        <source>Candidate recipes, comma-separated; each changes some of the base recipe: 4g32 (4 bits, groups of 32), 3g128, g0 (per channel), r16 (rank), gptq:3g128.</source>
        <translation>候选配方，用逗号分隔；每个候选修改基础配方的一部分：4g32（4 比特，每组 32）、3g128、g0（逐通道）、r16（秩）、gptq:3g128。</translation>
    </message>
    <message>
        <location filename="../app/gui/SensitivityView.cpp" line="72"/>
        <source>KL divergence</source>
        <translation>KL 散度</translation>
    </message>
    <message>
        <location filename="../app/gui/SensitivityView.cpp" line="73"/>
        <location filename="../app/gui/SensitivityView.cpp" line="271"/>
        <source>NLL change</source>
        <translation>NLL 变化</translation>
    </message>
    <message>
        <location filename="../app/gui/SensitivityView.cpp" line="74"/>
        <source>The damage the allocation minimises: the mean KL(P_float ‖ P_quantized) of the next-token distributions, or the mean NLL change.</source>
        <translation>分配所最小化的损伤：下一个词元分布的平均 KL(P_float ‖ P_quantized)，或平均 NLL 变化。</translation>
    </message>
    <message>
        <location filename="../app/gui/SensitivityView.cpp" line="79"/>
        <source>The average bits per weight to spend over the quantized layers, every side array counted. The heatmap&apos;s columns say what each candidate spends on every layer.</source>
        <translation>要在被量化各层上花费的平均每权重比特数，计入所有附加数组。热图各列标出每个候选方案在所有层上的花费。</translation>
    </message>
    <message>
        <location filename="../app/gui/SensitivityView.cpp" line="88"/>
        <source>Text file</source>
        <translation>文本文件</translation>
    </message>
    <message>
        <location filename="../app/gui/SensitivityView.cpp" line="89"/>
        <source>Part</source>
        <translation>部分</translation>
    </message>
    <message>
        <location filename="../app/gui/SensitivityView.cpp" line="90"/>
        <source>Tokens</source>
        <translation>词元数</translation>
    </message>
    <message>
        <location filename="../app/gui/SensitivityView.cpp" line="91"/>
        <source>Window</source>
        <translation>窗口</translation>
    </message>
    <message>
        <location filename="../app/gui/SensitivityView.cpp" line="92"/>
        <source>Candidates</source>
        <translation>候选方案</translation>
    </message>
    <message>
        <location filename="../app/gui/SensitivityView.cpp" line="93"/>
        <source>Measure</source>
        <translation>度量</translation>
    </message>
    <message>
        <location filename="../app/gui/SensitivityView.cpp" line="94"/>
        <source>Target bits/weight</source>
        <translation>目标比特/权重</translation>
    </message>
    <message>
        <location filename="../app/gui/SensitivityView.cpp" line="105"/>
        <location filename="../app/gui/SensitivityView.cpp" line="241"/>
        <source>Plan</source>
        <translation>计划</translation>
    </message>
    <message>
        <location filename="../app/gui/SensitivityView.cpp" line="105"/>
        <location filename="../app/gui/SensitivityView.cpp" line="241"/>
        <source>Bits/w</source>
        <translation>比特/权重</translation>
    </message>
    <message>
        <location filename="../app/gui/SensitivityView.cpp" line="105"/>
        <source>Predicted</source>
        <translation>预测值</translation>
    </message>
    <message>
        <location filename="../app/gui/SensitivityView.cpp" line="105"/>
        <location filename="../app/gui/SensitivityView.cpp" line="242"/>
        <source>KL measured</source>
        <translation>实测 KL</translation>
    </message>
    <message>
        <location filename="../app/gui/SensitivityView.cpp" line="105"/>
        <location filename="../app/gui/SensitivityView.cpp" line="242"/>
        <source>Perplexity</source>
        <translation>困惑度</translation>
    </message>
    <message>
        <location filename="../app/gui/SensitivityView.cpp" line="109"/>
        <source>Each plan run end to end on the calibration tokens: the KL of its next-token distributions from the float model&apos;s, and its perplexity there. Predicted: the sum of each layer&apos;s KL measured alone.</source>
        <translation>每个计划在校准词元上端到端运行：其下一个词元分布相对浮点模型的 KL，以及在那里的困惑度。预测值：各层单独测得的 KL 之和。</translation>
    </message>
    <message>
        <location filename="../app/gui/SensitivityView.cpp" line="116"/>
        <source>Layer</source>
        <translation>层</translation>
    </message>
    <message>
        <location filename="../app/gui/SensitivityView.cpp" line="116"/>
        <source>Current</source>
        <translation>当前</translation>
    </message>
    <message>
        <location filename="../app/gui/SensitivityView.cpp" line="116"/>
        <source>Allocated</source>
        <translation>分配后</translation>
    </message>
    <message>
        <location filename="../app/gui/SensitivityView.cpp" line="120"/>
        <source>Replace the plan by the allocated one (one step: Edit ▸ Undo restores the current plan).</source>
        <translation>用分配得到的计划替换当前计划（一步操作：编辑 ▸ 撤销可恢复当前计划）。</translation>
    </message>
    <message>
        <location filename="../app/gui/SensitivityView.cpp" line="209"/>
        <source>Base recipe: %1 (the plan&apos;s default); each candidate changes its bits and group size, or what it names.</source>
        <translation>基础配方：%1（计划的默认配方）；每个候选方案修改其比特数和分组大小，或其指明的字段。</translation>
    </message>
    <message>
        <location filename="../app/gui/SensitivityView.cpp" line="224"/>
        <source>%1 × %2 candidates on %3 tokens</source>
        <translation>%1 × %2 个候选方案，基于 %3 个词元</translation>
    </message>
    <message>
        <location filename="../app/gui/SensitivityView.cpp" line="266"/>
        <source>Allocated %1 bits per weight over %2 (target %3), predicted %4 %5 as the sum of each alone. Measured end to end on %6 calibration tokens:</source>
        <translation>在 %2 上分配了 %1 比特/权重（目标 %3），按各自单独测量之和预测 %4 为 %5。在 %6 个校准词元上端到端实测：</translation>
    </message>
    <message>
        <location filename="../app/gui/SensitivityView.cpp" line="229"/>
        <source>Reopened %1, measured earlier on the same model, tokens and candidates.</source>
        <translation>已重新打开 %1，先前在相同的模型、词元和候选方案上测得。</translation>
    </message>
    <message>
        <location filename="../app/gui/SensitivityView.cpp" line="230"/>
        <source>Measured %1.</source>
        <translation>已测量 %1。</translation>
    </message>
    <message>
        <location filename="../app/gui/SensitivityView.cpp" line="231"/>
        <source>Kept in %1</source>
        <translation>保存在 %1</translation>
    </message>
    <message>
        <location filename="../app/gui/SensitivityView.cpp" line="241"/>
        <source>Predicted KL</source>
        <translation>预测 KL</translation>
    </message>
    <message>
        <location filename="../app/gui/SensitivityView.cpp" line="241"/>
        <source>Predicted ΔNLL</source>
        <translation>预测 ΔNLL</translation>
    </message>
    <message>
        <location filename="../app/gui/SensitivityView.cpp" line="257"/>
        <source>allocated</source>
        <translation>分配方案</translation>
    </message>
    <message>
        <location filename="../app/gui/SensitivityView.cpp" line="260"/>
        <source>uniform %1</source>
        <translation>统一 %1</translation>
    </message>
    <message>
        <location filename="../app/gui/SensitivityView.cpp" line="262"/>
        <source>float model</source>
        <translation>浮点模型</translation>
    </message>
    <message>
        <location filename="../app/gui/SensitivityView.cpp" line="271"/>
        <source>KL</source>
        <translation>KL</translation>
    </message>
    <message>
        <location filename="../app/gui/SensitivityView.cpp" line="284"/>
        <source>No candidate fits the budget on every layer: nothing uniform to compare with.</source>
        <translation>没有候选方案能在每一层都满足预算：没有可比较的统一方案。</translation>
    </message>
    <message>
        <location filename="../app/gui/SensitivityView.cpp" line="287"/>
        <source>The allocation does not beat uniform %1 on the calibration tokens: Apply sets uniform %1.</source>
        <translation>在校准词元上，该分配不优于统一 %1：应用时将设为统一 %1。</translation>
    </message>
    <message>
        <location filename="../app/gui/SensitivityView.cpp" line="288"/>
        <source>The allocation beats uniform %1 on the calibration tokens.</source>
        <translation>在校准词元上，该分配优于统一 %1。</translation>
    </message>
    <message>
        <location filename="../app/gui/SensitivityView.cpp" line="305"/>
        <source>The plan already is this one.</source>
        <translation>当前计划已经是这一方案。</translation>
    </message>
    <message numerus="yes">
        <location filename="../app/gui/SensitivityView.cpp" line="308"/>
        <source>Apply as plan changes %n layer(s):</source>
        <translation>
            <numerusform>应用为计划将改变 %n 层：</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../app/gui/SensitivityView.cpp" line="322"/>
        <source>Each layer is quantized alone with each candidate, the rest of the model in float, and the whole model runs on the text. Run reopens a table measured before on the same inputs.</source>
        <translation>每一层单独用每个候选方案量化，模型其余部分保持浮点，然后在文本上运行整个模型。对相同输入，运行会重新打开先前测得的表。</translation>
    </message>
</context>
<context>
    <name>salience::gui::SpectrumTab</name>
    <message>
        <location filename="../app/gui/SpectrumTab.cpp" line="20"/>
        <source>Use k as rank budget</source>
        <translation>将 k 用作秩预算</translation>
    </message>
    <message>
        <location filename="../app/gui/SpectrumTab.cpp" line="21"/>
        <source>Set the rank budget of the selected layers&apos; recipe to the marker&apos;s k</source>
        <translation>将所选层量化方案中的秩预算设为标记处的 k</translation>
    </message>
    <message>
        <location filename="../app/gui/SpectrumTab.cpp" line="22"/>
        <source>Normalize σ / σ₁</source>
        <translation>归一化 σ / σ₁</translation>
    </message>
    <message>
        <location filename="../app/gui/SpectrumTab.cpp" line="43"/>
        <source>%1: effective rank %2, stable rank %3, 90% of the energy in rank %4</source>
        <translation>%1：有效秩 %2，稳定秩 %3，90% 的能量在前 %4 个奇异值中</translation>
    </message>
    <message>
        <location filename="../app/gui/SpectrumTab.cpp" line="49"/>
        <source>%1: largest %2 of %3 singular values (randomized estimate; %4% of the energy lies beyond them), stable rank %5</source>
        <translation>%1：%3 个奇异值中最大的 %2 个（随机化估计；%4% 的能量在它们之外），稳定秩 %5</translation>
    </message>
    <message>
        <location filename="../app/gui/SpectrumTab.cpp" line="60"/>
        <source>Singular values of %1</source>
        <translation>%1 的奇异值</translation>
    </message>
    <message>
        <location filename="../app/gui/SpectrumTab.cpp" line="62"/>
        <source>W</source>
        <translation>W</translation>
    </message>
    <message>
        <location filename="../app/gui/SpectrumTab.cpp" line="64"/>
        <source> · </source>
        <translation> · </translation>
    </message>
    <message>
        <location filename="../app/gui/SpectrumTab.cpp" line="64"/>
        <source>W·diag(s)</source>
        <translation>W·diag(s)</translation>
    </message>
    <message>
        <location filename="../app/gui/SpectrumTab.cpp" line="66"/>
        <source> · computing the full spectrum…</source>
        <translation> · 正在计算完整的奇异值谱…</translation>
    </message>
</context>
<context>
    <name>salience::gui::TextFileField</name>
    <message>
        <location filename="../app/gui/TextFileField.cpp" line="14"/>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <location filename="../app/gui/TextFileField.cpp" line="16"/>
        <source>a plain text file</source>
        <translation>纯文本文件</translation>
    </message>
    <message>
        <location filename="../app/gui/TextFileField.cpp" line="33"/>
        <source>Text files (*.txt *.raw *.md);;All files (*)</source>
        <translation>文本文件 (*.txt *.raw *.md);;所有文件 (*)</translation>
    </message>
</context>
<context>
    <name>salience::gui::ViewControls</name>
    <message>
        <location filename="../app/gui/ViewControls.cpp" line="13"/>
        <source>calibration (second half)</source>
        <translation>校准部分（后半）</translation>
    </message>
    <message>
        <location filename="../app/gui/ViewControls.cpp" line="14"/>
        <source>held-out (first half)</source>
        <translation>留出部分（前半）</translation>
    </message>
    <message>
        <location filename="../app/gui/ViewControls.cpp" line="22"/>
        <source>whole text</source>
        <translation>整个文本</translation>
    </message>
    <message>
        <location filename="../app/gui/ViewControls.cpp" line="41"/>
        <source>all</source>
        <translation>全部</translation>
    </message>
</context>
<context>
    <name>salience::gui::WeightsTab</name>
    <message>
        <location filename="../app/gui/WeightsTab.cpp" line="20"/>
        <location filename="../app/gui/WeightsTab.cpp" line="22"/>
        <source>input column</source>
        <translation>输入列</translation>
    </message>
    <message>
        <location filename="../app/gui/WeightsTab.cpp" line="20"/>
        <location filename="../app/gui/WeightsTab.cpp" line="24"/>
        <source>output row</source>
        <translation>输出行</translation>
    </message>
    <message>
        <location filename="../app/gui/WeightsTab.cpp" line="22"/>
        <location filename="../app/gui/WeightsTab.cpp" line="24"/>
        <source>abs-max</source>
        <translation>绝对最大值</translation>
    </message>
    <message>
        <location filename="../app/gui/WeightsTab.cpp" line="26"/>
        <source>Log counts</source>
        <translation>对数计数</translation>
    </message>
    <message>
        <location filename="../app/gui/WeightsTab.cpp" line="27"/>
        <source>Log colour scale</source>
        <translation>对数色标</translation>
    </message>
    <message>
        <location filename="../app/gui/WeightsTab.cpp" line="53"/>
        <source>|W|</source>
        <translation>|W|</translation>
    </message>
    <message>
        <location filename="../app/gui/WeightsTab.cpp" line="55"/>
        <source>Per input column</source>
        <translation>逐输入列</translation>
    </message>
    <message>
        <location filename="../app/gui/WeightsTab.cpp" line="56"/>
        <source>column abs-max</source>
        <translation>列绝对最大值</translation>
    </message>
    <message>
        <location filename="../app/gui/WeightsTab.cpp" line="57"/>
        <source>outlier columns (&gt; %1× median)</source>
        <translation>离群列（&gt; %1× 中位数）</translation>
    </message>
    <message>
        <location filename="../app/gui/WeightsTab.cpp" line="58"/>
        <source>Per output row</source>
        <translation>逐输出行</translation>
    </message>
    <message>
        <location filename="../app/gui/WeightsTab.cpp" line="59"/>
        <source>row abs-max</source>
        <translation>行绝对最大值</translation>
    </message>
    <message>
        <location filename="../app/gui/WeightsTab.cpp" line="60"/>
        <source>Distribution of weights</source>
        <translation>权重分布</translation>
    </message>
    <message>
        <location filename="../app/gui/WeightsTab.cpp" line="61"/>
        <source>weight value</source>
        <translation>权重值</translation>
    </message>
    <message numerus="yes">
        <location filename="../app/gui/WeightsTab.cpp" line="62"/>
        <source>%1 × %2 · abs-max %3 · std %4 · excess kurtosis %5 · beyond 3σ %6% · beyond 6σ %7% · %n outlier column(s)</source>
        <translation>
            <numerusform>%1 × %2 · 绝对最大值 %3 · 标准差 %4 · 超额峰度 %5 · 超出 3σ %6% · 超出 6σ %7% · %n 个离群列</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>salience::gui::Workspace</name>
    <message>
        <location filename="../app/gui/Workspace.cpp" line="88"/>
        <source>Reset %1</source>
        <translation>重置 %1</translation>
    </message>
    <message numerus="yes">
        <location filename="../app/gui/Workspace.cpp" line="89"/>
        <source>Reset %n layers</source>
        <translation>
            <numerusform>重置 %n 个层</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>salience::widgets::HeatmapView</name>
    <message>
        <location filename="../widgets/HeatmapView.cpp" line="69"/>
        <source>Column</source>
        <translation>列</translation>
    </message>
    <message>
        <location filename="../widgets/HeatmapView.cpp" line="70"/>
        <source>Row</source>
        <translation>行</translation>
    </message>
    <message>
        <location filename="../widgets/HeatmapView.cpp" line="73"/>
        <source>No data</source>
        <translation>无数据</translation>
    </message>
    <message>
        <location filename="../widgets/HeatmapView.cpp" line="171"/>
        <source>row %1, column %2: |x| = %3</source>
        <translation>第 %1 行，第 %2 列：|x| = %3</translation>
    </message>
    <message>
        <location filename="../widgets/HeatmapView.cpp" line="172"/>
        <source>row %1, column %2: x = %3</source>
        <translation>第 %1 行，第 %2 列：x = %3</translation>
    </message>
    <message>
        <location filename="../widgets/HeatmapView.cpp" line="179"/>
        <source>rows %1–%2, columns %3–%4: max |x| = %5</source>
        <translation>第 %1–%2 行，第 %3–%4 列：最大 |x| = %5</translation>
    </message>
    <message>
        <location filename="../widgets/HeatmapView.cpp" line="181"/>
        <source>rows %1–%2, columns %3–%4: largest-magnitude x = %5</source>
        <translation>第 %1–%2 行，第 %3–%4 列：绝对值最大的 x = %5</translation>
    </message>
    <message>
        <location filename="../widgets/HeatmapView.cpp" line="252"/>
        <source>value</source>
        <translation>值</translation>
    </message>
    <message>
        <location filename="../widgets/HeatmapView.cpp" line="252"/>
        <source>|value|</source>
        <translation>|值|</translation>
    </message>
    <message>
        <location filename="../widgets/HeatmapView.cpp" line="262"/>
        <source>Hover over a cell to read its value. Wheel zooms, drag pans, double-click resets.</source>
        <translation>将鼠标悬停在单元格上可读取其数值。滚轮缩放，拖动平移，双击复位。</translation>
    </message>
    <message>
        <location filename="../widgets/HeatmapView.cpp" line="264"/>
        <source>Shown in blocks of %1 × %2 (largest |x| of each). %3</source>
        <translation>按 %1 × %2 分块显示（取每块中最大的 |x|）。%3</translation>
    </message>
</context>
<context>
    <name>salience::widgets::HistogramPlot</name>
    <message>
        <location filename="../widgets/HistogramPlot.cpp" line="34"/>
        <source>No data</source>
        <translation>无数据</translation>
    </message>
    <message>
        <location filename="../widgets/HistogramPlot.cpp" line="76"/>
        <location filename="../widgets/HistogramPlot.cpp" line="172"/>
        <source>Count (log scale)</source>
        <translation>计数（对数刻度）</translation>
    </message>
    <message>
        <location filename="../widgets/HistogramPlot.cpp" line="76"/>
        <location filename="../widgets/HistogramPlot.cpp" line="172"/>
        <source>Count</source>
        <translation>计数</translation>
    </message>
    <message>
        <location filename="../widgets/HistogramPlot.cpp" line="138"/>
        <source>bin %1: [%2, %3%4: %5 values</source>
        <translation>区间 %1：[%2, %3%4：%5 个值</translation>
    </message>
    <message>
        <location filename="../widgets/HistogramPlot.cpp" line="180"/>
        <source>%1 values in %2 bins of width %3</source>
        <translation>%1 个值，分布在 %2 个宽度为 %3 的区间中</translation>
    </message>
    <message>
        <location filename="../widgets/HistogramPlot.cpp" line="186"/>
        <source>NaN: %1</source>
        <translation>NaN：%1</translation>
    </message>
    <message>
        <location filename="../widgets/HistogramPlot.cpp" line="188"/>
        <source>+Inf: %1</source>
        <translation>+Inf：%1</translation>
    </message>
    <message>
        <location filename="../widgets/HistogramPlot.cpp" line="190"/>
        <source>−Inf: %1</source>
        <translation>−Inf：%1</translation>
    </message>
    <message>
        <location filename="../widgets/HistogramPlot.cpp" line="192"/>
        <source>below range: %1</source>
        <translation>低于范围：%1</translation>
    </message>
    <message>
        <location filename="../widgets/HistogramPlot.cpp" line="194"/>
        <source>above range: %1</source>
        <translation>高于范围：%1</translation>
    </message>
    <message>
        <location filename="../widgets/HistogramPlot.cpp" line="196"/>
        <source>; not in any bin: %1</source>
        <translation>；不在任何区间内：%1</translation>
    </message>
    <message>
        <location filename="../widgets/HistogramPlot.cpp" line="198"/>
        <source>Hover over a bar to read its count. Wheel zooms, drag pans, double-click resets.</source>
        <translation>将鼠标悬停在柱上可读取其计数。滚轮缩放，拖动平移，双击复位。</translation>
    </message>
</context>
<context>
    <name>salience::widgets::LayerTree</name>
    <message>
        <location filename="../widgets/LayerTree.cpp" line="47"/>
        <source>Filter: name, role (q k v o gate up down) or “block 2”</source>
        <translation>筛选：名称、角色（q k v o gate up down）或“块 2”</translation>
    </message>
    <message>
        <location filename="../widgets/LayerTree.cpp" line="48"/>
        <source>Shows layers whose name contains the text, all layers of a role when the text is a role name, or a whole block when it is a block&apos;s title.</source>
        <translation>显示名称中包含该文本的层；文本为角色名时，显示该角色的所有层；文本为块标题时，显示整个块。</translation>
    </message>
    <message>
        <location filename="../widgets/LayerTree.cpp" line="53"/>
        <source>Layer</source>
        <translation>层</translation>
    </message>
    <message>
        <location filename="../widgets/LayerTree.cpp" line="53"/>
        <source>Shape</source>
        <translation>形状</translation>
    </message>
    <message>
        <location filename="../widgets/LayerTree.cpp" line="53"/>
        <source>DType</source>
        <translation>数据类型</translation>
    </message>
    <message>
        <location filename="../widgets/LayerTree.cpp" line="53"/>
        <source>Recipe</source>
        <translation>量化方案</translation>
    </message>
    <message>
        <location filename="../widgets/LayerTree.cpp" line="53"/>
        <source>Bits/w</source>
        <translation>Bits/w</translation>
    </message>
    <message>
        <location filename="../widgets/LayerTree.cpp" line="53"/>
        <source>Error</source>
        <translation>误差</translation>
    </message>
    <message>
        <location filename="../widgets/LayerTree.cpp" line="54"/>
        <source>Output features × input features</source>
        <translation>输出特征数 × 输入特征数</translation>
    </message>
    <message>
        <location filename="../widgets/LayerTree.cpp" line="55"/>
        <source>Element type as stored in the file</source>
        <translation>文件中存储的元素类型</translation>
    </message>
    <message>
        <location filename="../widgets/LayerTree.cpp" line="57"/>
        <source>Bits per weight after quantization, scales and zero points included</source>
        <translation>量化后的每权重比特数（含缩放因子和零点）</translation>
    </message>
    <message>
        <location filename="../widgets/LayerTree.cpp" line="59"/>
        <source>Relative output error when activations are known, else relative weight error</source>
        <translation>有激活数据时为相对输出误差，否则为相对权重误差</translation>
    </message>
    <message>
        <location filename="../widgets/LayerTree.cpp" line="102"/>
        <source>Embedding &amp; classifier</source>
        <translation>嵌入层与分类器</translation>
    </message>
    <message>
        <location filename="../widgets/LayerTree.cpp" line="102"/>
        <source>Block %1</source>
        <translation>块 %1</translation>
    </message>
    <message>
        <location filename="../widgets/LayerTree.cpp" line="119"/>
        <source>%1
stored as %2
role: %3</source>
        <translation>%1
存储为 %2
角色：%3</translation>
    </message>
    <message>
        <location filename="../widgets/LayerTree.cpp" line="123"/>
        <source>%1 output features × %2 input features (%3 weights)</source>
        <translation>%1 个输出特征 × %2 个输入特征（共 %3 个权重）</translation>
    </message>
    <message>
        <location filename="../widgets/LayerTree.cpp" line="127"/>
        <source>not quantized</source>
        <translation>不量化</translation>
    </message>
    <message>
        <location filename="../widgets/LayerTree.cpp" line="185"/>
        <source>Relative error %1</source>
        <translation>相对误差 %1</translation>
    </message>
</context>
<context>
    <name>salience::widgets::MethodComparisonPlot</name>
    <message>
        <location filename="../widgets/MethodComparisonPlot.cpp" line="29"/>
        <location filename="../widgets/MethodComparisonPlot.cpp" line="176"/>
        <source>No comparison yet</source>
        <translation>尚无比较结果</translation>
    </message>
    <message>
        <location filename="../widgets/MethodComparisonPlot.cpp" line="162"/>
        <source> (best)</source>
        <translation>（最佳）</translation>
    </message>
    <message>
        <location filename="../widgets/MethodComparisonPlot.cpp" line="198"/>
        <source>%1 %2 b/w</source>
        <translation>%1 %2 比特/权重</translation>
    </message>
    <message>
        <location filename="../widgets/MethodComparisonPlot.cpp" line="200"/>
        <source>, ppl %1</source>
        <translation>，困惑度 %1</translation>
    </message>
    <message numerus="yes">
        <location filename="../widgets/MethodComparisonPlot.cpp" line="201"/>
        <source>, best on %n</source>
        <translation>
            <numerusform>，%n 层最佳</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../widgets/MethodComparisonPlot.cpp" line="203"/>
        <source> (off the budget)</source>
        <translation>（偏离预算）</translation>
    </message>
    <message>
        <location filename="../widgets/MethodComparisonPlot.cpp" line="218"/>
        <source>Block %1</source>
        <translation>块 %1</translation>
    </message>
    <message>
        <location filename="../widgets/MethodComparisonPlot.cpp" line="226"/>
        <source>Relative output error per layer</source>
        <translation>各层相对输出误差</translation>
    </message>
    <message>
        <location filename="../widgets/MethodComparisonPlot.cpp" line="226"/>
        <source>Relative weight error per layer</source>
        <translation>各层相对权重误差</translation>
    </message>
    <message>
        <location filename="../widgets/MethodComparisonPlot.cpp" line="228"/>
        <source> at %1 bits/w</source>
        <translation>，%1 比特/权重</translation>
    </message>
    <message>
        <location filename="../widgets/MethodComparisonPlot.cpp" line="230"/>
        <source> · float ppl %1</source>
        <translation> · 浮点困惑度 %1</translation>
    </message>
    <message>
        <location filename="../widgets/MethodComparisonPlot.cpp" line="232"/>
        <source>Layer (model order)</source>
        <translation>层（模型顺序）</translation>
    </message>
    <message>
        <location filename="../widgets/MethodComparisonPlot.cpp" line="233"/>
        <source>Relative output error</source>
        <translation>相对输出误差</translation>
    </message>
    <message>
        <location filename="../widgets/MethodComparisonPlot.cpp" line="233"/>
        <source>Relative weight error</source>
        <translation>相对权重误差</translation>
    </message>
    <message>
        <location filename="../widgets/MethodComparisonPlot.cpp" line="234"/>
        <source>Hover over a layer to read every method&apos;s error there.</source>
        <translation>将鼠标悬停在某层上可读取各方法在该层的误差。</translation>
    </message>
</context>
<context>
    <name>salience::widgets::MethodGlossary</name>
    <message>
        <location filename="../widgets/MethodGlossary.cpp" line="31"/>
        <source>Method Glossary</source>
        <translation>方法术语表</translation>
    </message>
    <message>
        <location filename="../widgets/MethodGlossary.cpp" line="48"/>
        <source>Quantization methods</source>
        <translation>量化方法</translation>
    </message>
    <message>
        <location filename="../widgets/MethodGlossary.cpp" line="49"/>
        <source>Each layer&apos;s recipe names one of these methods. Fields a method does not use are greyed out in the recipe editor.</source>
        <translation>每一层的量化方案都指定其中一种方法。方案编辑器中，该方法用不到的字段会显示为灰色。</translation>
    </message>
    <message>
        <location filename="../widgets/MethodGlossary.cpp" line="58"/>
        <source>keeps full precision</source>
        <translation>保持全精度</translation>
    </message>
    <message>
        <location filename="../widgets/MethodGlossary.cpp" line="60"/>
        <source>bits, group size and symmetry</source>
        <translation>比特数、分组大小和对称性</translation>
    </message>
    <message>
        <location filename="../widgets/MethodGlossary.cpp" line="62"/>
        <source>a rank budget</source>
        <translation>秩预算</translation>
    </message>
    <message>
        <location filename="../widgets/MethodGlossary.cpp" line="64"/>
        <source>a share of protected weights</source>
        <translation>受保护权重的比例</translation>
    </message>
    <message>
        <location filename="../widgets/MethodGlossary.cpp" line="66"/>
        <source>&lt;b&gt;needs the layer&apos;s activations&lt;/b&gt;</source>
        <translation>&lt;b&gt;需要该层的激活数据&lt;/b&gt;</translation>
    </message>
    <message>
        <location filename="../widgets/MethodGlossary.cpp" line="68"/>
        <source>Uses:</source>
        <translation>使用：</translation>
    </message>
    <message>
        <location filename="../widgets/MethodGlossary.cpp" line="71"/>
        <source>No parameters of its own.</source>
        <translation>没有专属参数。</translation>
    </message>
    <message>
        <location filename="../widgets/MethodGlossary.cpp" line="77"/>
        <source>Parameter</source>
        <translation>参数</translation>
    </message>
    <message>
        <location filename="../widgets/MethodGlossary.cpp" line="77"/>
        <source>Range</source>
        <translation>范围</translation>
    </message>
    <message>
        <location filename="../widgets/MethodGlossary.cpp" line="77"/>
        <source>Default</source>
        <translation>默认值</translation>
    </message>
    <message>
        <location filename="../widgets/MethodGlossary.cpp" line="77"/>
        <source>What it does</source>
        <translation>作用</translation>
    </message>
</context>
<context>
    <name>salience::widgets::OverviewPanel</name>
    <message>
        <location filename="../widgets/OverviewPanel.cpp" line="89"/>
        <source>Layer</source>
        <translation>层</translation>
    </message>
    <message>
        <location filename="../widgets/OverviewPanel.cpp" line="89"/>
        <source>Block</source>
        <translation>块</translation>
    </message>
    <message>
        <location filename="../widgets/OverviewPanel.cpp" line="89"/>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <location filename="../widgets/OverviewPanel.cpp" line="89"/>
        <source>Method</source>
        <translation>方法</translation>
    </message>
    <message>
        <location filename="../widgets/OverviewPanel.cpp" line="89"/>
        <source>Bits</source>
        <translation>比特数</translation>
    </message>
    <message>
        <location filename="../widgets/OverviewPanel.cpp" line="89"/>
        <source>Bits/w</source>
        <translation>Bits/w</translation>
    </message>
    <message>
        <location filename="../widgets/OverviewPanel.cpp" line="90"/>
        <source>Rel. weight error</source>
        <translation>相对权重误差</translation>
    </message>
    <message>
        <location filename="../widgets/OverviewPanel.cpp" line="90"/>
        <source>Rel. output error</source>
        <translation>相对输出误差</translation>
    </message>
    <message>
        <location filename="../widgets/OverviewPanel.cpp" line="92"/>
        <source>Bits per weight, scales and zero points included</source>
        <translation>每权重比特数（含缩放因子和零点）</translation>
    </message>
    <message>
        <location filename="../widgets/OverviewPanel.cpp" line="93"/>
        <source>‖W − Ŵ‖ / ‖W‖</source>
        <translation>‖W − Ŵ‖ / ‖W‖</translation>
    </message>
    <message>
        <location filename="../widgets/OverviewPanel.cpp" line="95"/>
        <source>‖(W − Ŵ)·X‖ / ‖W·X‖ on the collected activations X</source>
        <translation>在已采集的激活 X 上计算的 ‖(W − Ŵ)·X‖ / ‖W·X‖</translation>
    </message>
    <message>
        <location filename="../widgets/OverviewPanel.cpp" line="198"/>
        <source>Size: %1 → %2 · average %3 bits/weight · %4 of %5 layers quantized</source>
        <translation>大小：%1 → %2 · 平均每权重 %3 比特 · 已量化 %4 / %5 个层</translation>
    </message>
    <message numerus="yes">
        <location filename="../widgets/OverviewPanel.cpp" line="216"/>
        <source>Perplexity %1 → %2 (%3) on %4, %n tokens</source>
        <translation>
            <numerusform>%4 上的困惑度 %1 → %2（%3），%n 个词元</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../widgets/OverviewPanel.cpp" line="221"/>
        <source>Perplexity of the float model → of the model quantized by the current plan, on the first tokens of the text. Lower is better.</source>
        <translation>浮点模型的困惑度 → 按当前方案量化后模型的困惑度，在文本的前若干词元上计算。越低越好。</translation>
    </message>
    <message>
        <location filename="../widgets/OverviewPanel.cpp" line="239"/>
        <source>No quantization results yet: run a plan to see sizes and errors.</source>
        <translation>尚无量化结果：运行量化计划后即可查看大小和误差。</translation>
    </message>
    <message>
        <location filename="../widgets/OverviewPanel.cpp" line="240"/>
        <source>Perplexity: —</source>
        <translation>困惑度：—</translation>
    </message>
    <message>
        <location filename="../widgets/OverviewPanel.cpp" line="312"/>
        <source>Relative output error</source>
        <translation>相对输出误差</translation>
    </message>
    <message>
        <location filename="../widgets/OverviewPanel.cpp" line="312"/>
        <source>Relative weight error</source>
        <translation>相对权重误差</translation>
    </message>
    <message>
        <location filename="../widgets/OverviewPanel.cpp" line="352"/>
        <source>Block %1</source>
        <translation>块 %1</translation>
    </message>
    <message>
        <location filename="../widgets/OverviewPanel.cpp" line="374"/>
        <source>No results yet</source>
        <translation>尚无结果</translation>
    </message>
    <message>
        <location filename="../widgets/OverviewPanel.cpp" line="374"/>
        <source>No layer is quantized</source>
        <translation>没有已量化的层</translation>
    </message>
    <message>
        <location filename="../widgets/OverviewPanel.cpp" line="404"/>
        <source>kept at full precision</source>
        <translation>保持全精度</translation>
    </message>
    <message>
        <location filename="../widgets/OverviewPanel.cpp" line="406"/>
        <source>%1 %2-bit · %3 bits/weight</source>
        <translation>%1 %2 比特 · 每权重 %3 比特</translation>
    </message>
    <message>
        <location filename="../widgets/OverviewPanel.cpp" line="407"/>
        <source>weight error %1</source>
        <translation>权重误差 %1</translation>
    </message>
    <message>
        <location filename="../widgets/OverviewPanel.cpp" line="409"/>
        <source>output error %1</source>
        <translation>输出误差 %1</translation>
    </message>
</context>
<context>
    <name>salience::widgets::ProfilePlot</name>
    <message>
        <location filename="../widgets/ProfilePlot.cpp" line="28"/>
        <source>Index</source>
        <translation>索引</translation>
    </message>
    <message>
        <location filename="../widgets/ProfilePlot.cpp" line="29"/>
        <source>Value</source>
        <translation>值</translation>
    </message>
    <message>
        <location filename="../widgets/ProfilePlot.cpp" line="31"/>
        <source>No data</source>
        <translation>无数据</translation>
    </message>
    <message>
        <location filename="../widgets/ProfilePlot.cpp" line="163"/>
        <source>%1 = %2</source>
        <translation>%1 = %2</translation>
    </message>
    <message>
        <location filename="../widgets/ProfilePlot.cpp" line="164"/>
        <source>index %1: %2</source>
        <translation>索引 %1：%2</translation>
    </message>
    <message>
        <location filename="../widgets/ProfilePlot.cpp" line="166"/>
        <source> (%1)</source>
        <translation>（%1）</translation>
    </message>
    <message>
        <location filename="../widgets/ProfilePlot.cpp" line="166"/>
        <source>marked</source>
        <translation>已标记</translation>
    </message>
    <message>
        <location filename="../widgets/ProfilePlot.cpp" line="214"/>
        <source>Hover to read the values. Wheel zooms, drag pans, double-click resets.</source>
        <translation>悬停鼠标可读取数值。滚轮缩放，拖动平移，双击复位。</translation>
    </message>
    <message>
        <location filename="../widgets/ProfilePlot.cpp" line="271"/>
        <source>Marked</source>
        <translation>已标记</translation>
    </message>
</context>
<context>
    <name>salience::widgets::RecipeEditor</name>
    <message>
        <location filename="../widgets/RecipeEditor.cpp" line="79"/>
        <source>Symmetric grid (zero point fixed at the middle)</source>
        <translation>对称网格（零点固定在中间）</translation>
    </message>
    <message>
        <location filename="../widgets/RecipeEditor.cpp" line="82"/>
        <source>Method parameters</source>
        <translation>方法参数</translation>
    </message>
    <message>
        <location filename="../widgets/RecipeEditor.cpp" line="92"/>
        <source>%1 (%2)</source>
        <translation>%1（%2）</translation>
    </message>
    <message>
        <location filename="../widgets/RecipeEditor.cpp" line="97"/>
        <source>How the layer&apos;s weights are quantized. Help ▸ Method Glossary explains each method.</source>
        <translation>该层权重的量化方式。“帮助 ▸ 方法术语表”中解释了每种方法。</translation>
    </message>
    <message>
        <location filename="../widgets/RecipeEditor.cpp" line="101"/>
        <source>Uniform (bits, group, symmetry below)</source>
        <translation>均匀网格（位数、分组、对称性见下）</translation>
    </message>
    <message>
        <location filename="../widgets/RecipeEditor.cpp" line="102"/>
        <source>Salience&apos;s own grid: 2^bits levels, one scale (and zero point) per group.</source>
        <translation>Salience 自己的网格：2^位数 个量化级，每组一个缩放因子（及零点）。</translation>
    </message>
    <message>
        <location filename="../widgets/RecipeEditor.cpp" line="110"/>
        <source>llama.cpp non-linear 4-bit levels</source>
        <translation>llama.cpp 非线性 4 位量化级</translation>
    </message>
    <message>
        <location filename="../widgets/RecipeEditor.cpp" line="112"/>
        <source>llama.cpp K-quant</source>
        <translation>llama.cpp K-quant 格式</translation>
    </message>
    <message>
        <location filename="../widgets/RecipeEditor.cpp" line="114"/>
        <source>llama.cpp block format</source>
        <translation>llama.cpp 块格式</translation>
    </message>
    <message>
        <location filename="../widgets/RecipeEditor.cpp" line="115"/>
        <source>%1 — %2, %3 bits/weight</source>
        <translation>%1 — %2，每权重 %3 位</translation>
    </message>
    <message>
        <location filename="../widgets/RecipeEditor.cpp" line="120"/>
        <source>The grid the weights are rounded onto. A llama.cpp block format writes llama.cpp&apos;s own blocks, which a GGUF export copies unchanged; bits, group size and symmetry are then the format&apos;s own. A layer whose rows are not whole blocks falls back as llama-quantize does (Q4_K to Q5_0, ...). Every method with a grid quantizes onto these formats; what a GGUF cannot hold (input scales, a rotation, sparse weights, low-rank factors) is rounded into the file when it is exported.</source>
        <translation>权重被舍入到的网格。llama.cpp 块格式写出 llama.cpp 自己的块，GGUF 导出会原样复制；此时位数、分组大小和对称性都由该格式决定。行长不是整块的层会像 llama-quantize 一样回退（Q4_K 回退到 Q5_0 等）。所有基于网格的方法都能量化到这些格式上；GGUF 无法保存的部分（输入缩放、旋转、稀疏权重、低秩因子）会在导出时重新舍入进文件。</translation>
    </message>
    <message>
        <location filename="../widgets/RecipeEditor.cpp" line="128"/>
        <source> bits</source>
        <translation> 比特</translation>
    </message>
    <message>
        <location filename="../widgets/RecipeEditor.cpp" line="129"/>
        <source>Bits per quantized weight: 2^bits grid points.</source>
        <translation>每个量化权重的比特数：网格共有 2^bits 个格点。</translation>
    </message>
    <message>
        <location filename="../widgets/RecipeEditor.cpp" line="131"/>
        <source>per channel</source>
        <translation>逐通道</translation>
    </message>
    <message>
        <location filename="../widgets/RecipeEditor.cpp" line="132"/>
        <source>per tensor</source>
        <translation>逐张量</translation>
    </message>
    <message>
        <location filename="../widgets/RecipeEditor.cpp" line="135"/>
        <source>custom</source>
        <translation>自定义</translation>
    </message>
    <message>
        <location filename="../widgets/RecipeEditor.cpp" line="136"/>
        <source>How many consecutive input columns share one scale (and zero point): a group of columns, a whole output channel, or the whole tensor.</source>
        <translation>多少个连续输入列共用一个缩放因子（及零点）：可以是一组列、一整个输出通道或整个张量。</translation>
    </message>
    <message>
        <location filename="../widgets/RecipeEditor.cpp" line="140"/>
        <source> columns</source>
        <translation> 列</translation>
    </message>
    <message>
        <location filename="../widgets/RecipeEditor.cpp" line="141"/>
        <source>Group size when “custom” is chosen.</source>
        <translation>选择“自定义”时的分组大小。</translation>
    </message>
    <message>
        <location filename="../widgets/RecipeEditor.cpp" line="148"/>
        <source>Symmetric grids store only a scale; asymmetric ones also a zero point, which fits skewed weight ranges better.</source>
        <translation>对称网格只存储缩放因子；非对称网格还存储零点，能更好地适应偏斜的权重范围。</translation>
    </message>
    <message>
        <location filename="../widgets/RecipeEditor.cpp" line="151"/>
        <source>Rank of the low-rank correction kept in full precision (0: none).</source>
        <translation>以全精度保留的低秩修正项的秩（0：不使用）。</translation>
    </message>
    <message>
        <location filename="../widgets/RecipeEditor.cpp" line="155"/>
        <source> %</source>
        <translation> %</translation>
    </message>
    <message>
        <location filename="../widgets/RecipeEditor.cpp" line="156"/>
        <source>Share of the most salient weights kept in full precision.</source>
        <translation>以全精度保留的最显著权重所占的比例。</translation>
    </message>
    <message>
        <location filename="../widgets/RecipeEditor.cpp" line="161"/>
        <source>Method</source>
        <translation>方法</translation>
    </message>
    <message>
        <location filename="../widgets/RecipeEditor.cpp" line="163"/>
        <source>Grid</source>
        <translation>网格</translation>
    </message>
    <message>
        <location filename="../widgets/RecipeEditor.cpp" line="164"/>
        <source>Bits</source>
        <translation>比特数</translation>
    </message>
    <message>
        <location filename="../widgets/RecipeEditor.cpp" line="165"/>
        <source>Group size</source>
        <translation>分组大小</translation>
    </message>
    <message>
        <location filename="../widgets/RecipeEditor.cpp" line="167"/>
        <source>Rank budget</source>
        <translation>秩预算</translation>
    </message>
    <message>
        <location filename="../widgets/RecipeEditor.cpp" line="168"/>
        <source>Protect</source>
        <translation>保护比例</translation>
    </message>
    <message>
        <location filename="../widgets/RecipeEditor.cpp" line="212"/>
        <source>%1 (not registered)</source>
        <translation>%1（未注册）</translation>
    </message>
    <message>
        <location filename="../widgets/RecipeEditor.cpp" line="345"/>
        <source>This method has no parameters of its own.</source>
        <translation>此方法没有专属参数。</translation>
    </message>
    <message>
        <location filename="../widgets/RecipeEditor.cpp" line="363"/>
        <source>%1
One of: %2; default %3</source>
        <translation>%1
可选：%2；默认 %3</translation>
    </message>
    <message>
        <location filename="../widgets/RecipeEditor.cpp" line="387"/>
        <source>%1
Range %2 … %3, default %4</source>
        <translation>%1
范围 %2 … %3，默认值 %4</translation>
    </message>
    <message>
        <location filename="../widgets/RecipeEditor.cpp" line="425"/>
        <source>This method is not registered in this version of Salience.</source>
        <translation>此版本的 Salience 中未注册该方法。</translation>
    </message>
    <message>
        <location filename="../widgets/RecipeEditor.cpp" line="428"/>
        <source>This method uses the layer&apos;s activations; the collected ones will be used.</source>
        <translation>此方法会用到该层的激活数据；将使用已采集的激活。</translation>
    </message>
    <message>
        <location filename="../widgets/RecipeEditor.cpp" line="429"/>
        <source>⚠ This method needs the layer&apos;s activations. Collect activations first (or open the demo model, which brings its own).</source>
        <translation>⚠ 此方法需要该层的激活数据。请先采集激活（或打开自带激活数据的演示模型）。</translation>
    </message>
    <message>
        <location filename="../widgets/RecipeEditor.cpp" line="442"/>
        <source>No layer selected: select layers in the layer tree to edit their recipe.</source>
        <translation>未选择层：请在层树中选择层以编辑其量化方案。</translation>
    </message>
    <message>
        <location filename="../widgets/RecipeEditor.cpp" line="444"/>
        <source>Recipe of the selected layer</source>
        <translation>所选层的量化方案</translation>
    </message>
    <message numerus="yes">
        <location filename="../widgets/RecipeEditor.cpp" line="446"/>
        <source>%n layers selected — editing applies to all</source>
        <translation>
            <numerusform>已选择 %n 个层——编辑将应用于全部所选层</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../widgets/RecipeEditor.cpp" line="448"/>
        <source>Their recipes differ; the first one is shown.</source>
        <translation>各层的量化方案不同；当前显示第一个层的方案。</translation>
    </message>
    <message>
        <location filename="../widgets/RecipeEditor.cpp" line="465"/>
        <source>%1 (unknown format)</source>
        <translation>%1（未知格式）</translation>
    </message>
</context>
<context>
    <name>salience::widgets::SensitivityHeatmap</name>
    <message>
        <location filename="../widgets/SensitivityHeatmap.cpp" line="84"/>
        <source>allocated plan</source>
        <translation>分配的计划</translation>
    </message>
    <message>
        <location filename="../widgets/SensitivityHeatmap.cpp" line="93"/>
        <source>No sensitivity measured yet</source>
        <translation>尚未测量敏感度</translation>
    </message>
    <message>
        <location filename="../widgets/SensitivityHeatmap.cpp" line="114"/>
        <source>block %1</source>
        <translation>块 %1</translation>
    </message>
    <message>
        <location filename="../widgets/SensitivityHeatmap.cpp" line="123"/>
        <source>role</source>
        <translation>角色</translation>
    </message>
    <message>
        <location filename="../widgets/SensitivityHeatmap.cpp" line="125"/>
        <source>block</source>
        <translation>块</translation>
    </message>
    <message>
        <location filename="../widgets/SensitivityHeatmap.cpp" line="129"/>
        <source>layer</source>
        <translation>层</translation>
    </message>
    <message>
        <location filename="../widgets/SensitivityHeatmap.cpp" line="135"/>
        <source>calibration</source>
        <translation>校准</translation>
    </message>
    <message>
        <location filename="../widgets/SensitivityHeatmap.cpp" line="137"/>
        <source>held-out</source>
        <translation>留出</translation>
    </message>
    <message>
        <location filename="../widgets/SensitivityHeatmap.cpp" line="139"/>
        <source>whole text</source>
        <translation>整个文本</translation>
    </message>
    <message numerus="yes">
        <location filename="../widgets/SensitivityHeatmap.cpp" line="147"/>
        <source>%n role(s)</source>
        <translation>
            <numerusform>%n 个角色</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../widgets/SensitivityHeatmap.cpp" line="149"/>
        <source>%n block(s)</source>
        <translation>
            <numerusform>%n 个块</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../widgets/SensitivityHeatmap.cpp" line="153"/>
        <source>%n layer(s)</source>
        <translation>
            <numerusform>%n 层</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../widgets/SensitivityHeatmap.cpp" line="227"/>
        <source>%1 · %2: KL %3 ± %4 nats, ΔNLL %5, %6 bits per weight</source>
        <translation>%1 · %2：KL %3 ± %4 奈特，ΔNLL %5，%6 比特/权重</translation>
    </message>
    <message>
        <location filename="../widgets/SensitivityHeatmap.cpp" line="234"/>
        <source>, rank %1</source>
        <translation>，秩 %1</translation>
    </message>
    <message>
        <location filename="../widgets/SensitivityHeatmap.cpp" line="236"/>
        <source> (allocated)</source>
        <translation>（已分配）</translation>
    </message>
    <message>
        <location filename="../widgets/SensitivityHeatmap.cpp" line="292"/>
        <source>KL(P_float ‖ P_quantized), nats</source>
        <translation>KL(P_float ‖ P_quantized)，奈特</translation>
    </message>
    <message>
        <location filename="../widgets/SensitivityHeatmap.cpp" line="293"/>
        <source>NLL change, nats</source>
        <translation>NLL 变化，奈特</translation>
    </message>
    <message>
        <location filename="../widgets/SensitivityHeatmap.cpp" line="294"/>
        <source>KL divergence</source>
        <translation>KL 散度</translation>
    </message>
    <message>
        <location filename="../widgets/SensitivityHeatmap.cpp" line="294"/>
        <source>NLL change</source>
        <translation>NLL 变化</translation>
    </message>
    <message>
        <location filename="../widgets/SensitivityHeatmap.cpp" line="295"/>
        <source>%1 with each %2 alone quantized (%3 positions, %4 part)</source>
        <translation>每个%2单独量化时的%1（%3 个位置，%4 部分）</translation>
    </message>
    <message>
        <location filename="../widgets/SensitivityHeatmap.cpp" line="303"/>
        <source>%1
%2 b/w</source>
        <translation>%1
%2 比特</translation>
    </message>
    <message>
        <location filename="../widgets/SensitivityHeatmap.cpp" line="312"/>
        <source>Candidate (bits per weight over all units)</source>
        <translation>候选方案（所有单元的每权重比特数）</translation>
    </message>
    <message>
        <location filename="../widgets/SensitivityHeatmap.cpp" line="326"/>
        <source>Hover over a cell to read its KL, NLL change and bits per weight.</source>
        <translation>将鼠标悬停在单元格上可读取其 KL、NLL 变化和每权重比特数。</translation>
    </message>
    <message>
        <location filename="../widgets/SensitivityHeatmap.cpp" line="359"/>
        <source>uniform %1 (same budget)</source>
        <translation>统一 %1（相同预算）</translation>
    </message>
</context>
<context>
    <name>salience::widgets::SpectrumPlot</name>
    <message>
        <location filename="../widgets/SpectrumPlot.cpp" line="43"/>
        <source>Index i (singular values in decreasing order)</source>
        <translation>索引 i（奇异值按降序排列）</translation>
    </message>
    <message>
        <location filename="../widgets/SpectrumPlot.cpp" line="48"/>
        <source>Cumulative energy (fraction kept)</source>
        <translation>累积能量（保留比例）</translation>
    </message>
    <message>
        <location filename="../widgets/SpectrumPlot.cpp" line="56"/>
        <source>σᵢ(W)</source>
        <translation>σᵢ(W)</translation>
    </message>
    <message>
        <location filename="../widgets/SpectrumPlot.cpp" line="58"/>
        <source>energy of W</source>
        <translation>W 的能量</translation>
    </message>
    <message>
        <location filename="../widgets/SpectrumPlot.cpp" line="57"/>
        <source>σᵢ(W·diag(s))</source>
        <translation>σᵢ(W·diag(s))</translation>
    </message>
    <message>
        <location filename="../widgets/SpectrumPlot.cpp" line="59"/>
        <source>energy of W·diag(s)</source>
        <translation>W·diag(s) 的能量</translation>
    </message>
    <message>
        <location filename="../widgets/SpectrumPlot.cpp" line="86"/>
        <source>No data</source>
        <translation>无数据</translation>
    </message>
    <message>
        <location filename="../widgets/SpectrumPlot.cpp" line="87"/>
        <source>Press or drag in the plot to move the rank budget k. The wheel zooms the index axis; double-click resets.</source>
        <translation>在图中按下或拖动可移动秩预算 k。滚轮缩放索引轴；双击复位。</translation>
    </message>
    <message>
        <location filename="../widgets/SpectrumPlot.cpp" line="300"/>
        <source>σᵢ / σ₁ (log scale)</source>
        <translation>σᵢ / σ₁（对数刻度）</translation>
    </message>
    <message>
        <location filename="../widgets/SpectrumPlot.cpp" line="301"/>
        <source>Singular value σᵢ (log scale)</source>
        <translation>奇异值 σᵢ（对数刻度）</translation>
    </message>
    <message>
        <location filename="../widgets/SpectrumPlot.cpp" line="328"/>
        <source>k = %1</source>
        <translation>k = %1</translation>
    </message>
    <message>
        <location filename="../widgets/SpectrumPlot.cpp" line="346"/>
        <source>k = %1: %2% of W&apos;s energy, %3% of W·diag(s)</source>
        <translation>k = %1：保留 W 能量的 %2%，W·diag(s) 能量的 %3%</translation>
    </message>
    <message>
        <location filename="../widgets/SpectrumPlot.cpp" line="361"/>
        <source>W·diag(s)</source>
        <translation>W·diag(s)</translation>
    </message>
    <message>
        <location filename="../widgets/SpectrumPlot.cpp" line="352"/>
        <source>k = %1: %2% of W&apos;s energy</source>
        <translation>k = %1：保留 W 能量的 %2%</translation>
    </message>
    <message>
        <location filename="../widgets/SpectrumPlot.cpp" line="355"/>
        <source>%1: effective rank %2, stable rank %3</source>
        <translation>%1：有效秩 %2，稳定秩 %3</translation>
    </message>
    <message>
        <location filename="../widgets/SpectrumPlot.cpp" line="359"/>
        <source>W</source>
        <translation>W</translation>
    </message>
    <message>
        <location filename="../widgets/SpectrumPlot.cpp" line="362"/>
        <source>  ·  %1 singular values</source>
        <translation>  ·  共 %1 个奇异值</translation>
    </message>
</context>
</TS>
