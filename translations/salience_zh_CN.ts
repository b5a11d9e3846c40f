<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>MethodRegistry</name>
    <message>
        <location filename="../widgets/MethodText.cpp" line="12"/>
        <source>Full precision</source>
        <translation>全精度</translation>
    </message>
    <message>
        <location filename="../widgets/MethodText.cpp" line="13"/>
        <source>Keeps the layer&apos;s weights as they are. Use it for layers too sensitive to quantize.</source>
        <translation>保持该层权重不变。适用于对量化过于敏感的层。</translation>
    </message>
    <message>
        <location filename="../widgets/MethodText.cpp" line="15"/>
        <source>Round to nearest</source>
        <translation>就近取整</translation>
    </message>
    <message>
        <location filename="../widgets/MethodText.cpp" line="16"/>
        <source>Rounds every weight to the nearest point of a uniform grid: one scale (and zero point when asymmetric) per group of consecutive input columns, stored as float16. The baseline every other method is measured against.</source>
        <translation>将每个权重舍入到均匀网格上最近的点：每组连续的输入列共用一个缩放因子（非对称时另有一个零点），以 float16 存储。它是衡量其他所有方法的基线。</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <location filename="../app/gui/main.cpp" line="77"/>
        <source>Look inside a language model and quantize it.</source>
        <translation>深入查看语言模型内部并对其进行量化。</translation>
    </message>
    <message>
        <location filename="../app/gui/main.cpp" line="80"/>
        <source>A .safetensors, .gguf or llama2.c .bin file, or a Hugging Face directory.</source>
        <translation>.safetensors、.gguf 或 llama2.c .bin 文件，或 Hugging Face 模型目录。</translation>
    </message>
    <message>
        <location filename="../app/gui/main.cpp" line="82"/>
        <source>Activation file (HDF5) to open with the model.</source>
        <translation>与模型一同打开的激活文件（HDF5）。</translation>
    </message>
    <message>
        <location filename="../app/gui/main.cpp" line="85"/>
        <source>Render the window to FILE (PNG) after loading, then exit.</source>
        <translation>加载后将窗口渲染到 FILE（PNG），然后退出。</translation>
    </message>
    <message>
        <location filename="../app/gui/main.cpp" line="87"/>
        <source>Tab to show: weights, activations, spectrum, quantization.</source>
        <translation>要显示的标签页：weights（权重）、activations（激活）、spectrum（奇异值谱）、quantization（量化）。</translation>
    </message>
    <message>
        <location filename="../app/gui/main.cpp" line="89"/>
        <source>Layer to select after loading.</source>
        <translation>加载后要选中的层。</translation>
    </message>
    <message>
        <location filename="../app/gui/main.cpp" line="90"/>
        <source>Language, e.g. zh_CN or en (default: the system&apos;s).</source>
        <translation>界面语言，例如 zh_CN 或 en（默认：跟随系统）。</translation>
    </message>
    <message>
        <location filename="../app/gui/main.cpp" line="92"/>
        <source>Window size for --screenshot, WIDTHxHEIGHT.</source>
        <translation>--screenshot 使用的窗口尺寸，格式为 WIDTHxHEIGHT（宽x高）。</translation>
    </message>
    <message>
        <location filename="../app/gui/main.cpp" line="95"/>
        <source>Run Quantize All after loading (with --screenshot: before the picture).</source>
        <translation>加载后运行“全部量化”（与 --screenshot 同用时在截图之前）。</translation>
    </message>
</context>
<context>
    <name>salience::gui::ActivationsTab</name>
    <message>
        <location filename="../app/gui/ActivationsTab.cpp" line="44"/>
        <source>No activations for this layer.

Open an activation file (File ▸ Open Activations…) or use the demo model, whose activations are built in.</source>
        <translation>该层没有激活数据。

请打开激活文件（文件 ▸ 打开激活文件…），或使用自带激活数据的演示模型。</translation>
    </message>
    <message>
        <location filename="../app/gui/ActivationsTab.cpp" line="52"/>
        <location filename="../app/gui/ActivationsTab.cpp" line="54"/>
        <source>input channel</source>
        <translation>输入通道</translation>
    </message>
    <message>
        <location filename="../app/gui/ActivationsTab.cpp" line="52"/>
        <source>magnitude</source>
        <translation>幅值</translation>
    </message>
    <message>
        <location filename="../app/gui/ActivationsTab.cpp" line="54"/>
        <location filename="../app/gui/ActivationsTab.cpp" line="62"/>
        <source>token</source>
        <translation>词元</translation>
    </message>
    <message>
        <location filename="../app/gui/ActivationsTab.cpp" line="57"/>
        <source>Largest |A| per dimension</source>
        <translation>各维度的最大 |A|</translation>
    </message>
    <message>
        <location filename="../app/gui/ActivationsTab.cpp" line="57"/>
        <source>|A| per token and dimension</source>
        <translation>各词元、各维度的 |A|</translation>
    </message>
    <message>
        <location filename="../app/gui/ActivationsTab.cpp" line="59"/>
        <location filename="../app/gui/ActivationsTab.cpp" line="62"/>
        <source>hidden dimension</source>
        <translation>隐藏维度</translation>
    </message>
    <message>
        <location filename="../app/gui/ActivationsTab.cpp" line="59"/>
        <source>max |A| over tokens</source>
        <translation>所有词元上的最大 |A|</translation>
    </message>
    <message>
        <location filename="../app/gui/ActivationsTab.cpp" line="68"/>
        <source>Token</source>
        <translation>词元</translation>
    </message>
    <message>
        <location filename="../app/gui/ActivationsTab.cpp" line="68"/>
        <source>Dim</source>
        <translation>维度</translation>
    </message>
    <message>
        <location filename="../app/gui/ActivationsTab.cpp" line="68"/>
        <source>Value</source>
        <translation>值</translation>
    </message>
    <message>
        <location filename="../app/gui/ActivationsTab.cpp" line="68"/>
        <source>× median</source>
        <translation>× 中位数</translation>
    </message>
    <message>
        <location filename="../app/gui/ActivationsTab.cpp" line="68"/>
        <source>Massive</source>
        <translation>巨量激活</translation>
    </message>
    <message>
        <location filename="../app/gui/ActivationsTab.cpp" line="85"/>
        <source>Thresholds</source>
        <translation>阈值</translation>
    </message>
    <message>
        <location filename="../app/gui/ActivationsTab.cpp" line="95"/>
        <source>Massive η</source>
        <translation>巨量 η</translation>
    </message>
    <message>
        <location filename="../app/gui/ActivationsTab.cpp" line="95"/>
        <source>A massive activation exceeds η × mean|A| …</source>
        <translation>巨量激活需超过 η × mean|A| …</translation>
    </message>
    <message>
        <location filename="../app/gui/ActivationsTab.cpp" line="96"/>
        <source>Massive γ</source>
        <translation>巨量 γ</translation>
    </message>
    <message>
        <location filename="../app/gui/ActivationsTab.cpp" line="96"/>
        <source>… and the absolute value γ</source>
        <translation>… 且绝对值超过 γ</translation>
    </message>
    <message>
        <location filename="../app/gui/ActivationsTab.cpp" line="97"/>
        <source>Channel η</source>
        <translation>通道 η</translation>
    </message>
    <message>
        <location filename="../app/gui/ActivationsTab.cpp" line="98"/>
        <source>An outlier channel&apos;s |mean| exceeds η × std(A) + mean|A| …</source>
        <translation>离群通道的 |mean| 超过 η × std(A) + mean|A| …</translation>
    </message>
    <message>
        <location filename="../app/gui/ActivationsTab.cpp" line="99"/>
        <source>Channel β</source>
        <translation>通道 β</translation>
    </message>
    <message>
        <location filename="../app/gui/ActivationsTab.cpp" line="99"/>
        <source>… and its spread std/|mean| stays below β</source>
        <translation>… 且其离散度 std/|mean| 低于 β</translation>
    </message>
    <message>
        <location filename="../app/gui/ActivationsTab.cpp" line="108"/>
        <source>Layer input</source>
        <translation>层输入</translation>
    </message>
    <message>
        <location filename="../app/gui/ActivationsTab.cpp" line="113"/>
        <source>Residual stream of this block</source>
        <translation>本块的残差流</translation>
    </message>
    <message>
        <location filename="../app/gui/ActivationsTab.cpp" line="116"/>
        <source>Site:</source>
        <translation>采集点：</translation>
    </message>
    <message>
        <location filename="../app/gui/ActivationsTab.cpp" line="184"/>
        <source>abs-max</source>
        <translation>绝对最大值</translation>
    </message>
    <message>
        <location filename="../app/gui/ActivationsTab.cpp" line="185"/>
        <source>RMS</source>
        <translation>RMS</translation>
    </message>
    <message>
        <location filename="../app/gui/ActivationsTab.cpp" line="186"/>
        <source>Input per channel</source>
        <translation>逐通道输入</translation>
    </message>
    <message>
        <location filename="../app/gui/ActivationsTab.cpp" line="195"/>
        <source>outlier channels</source>
        <translation>离群通道</translation>
    </message>
    <message>
        <location filename="../app/gui/ActivationsTab.cpp" line="200"/>
        <source>|X|: tokens × channels</source>
        <translation>|X|：词元 × 通道</translation>
    </message>
    <message>
        <location filename="../app/gui/ActivationsTab.cpp" line="223"/>
        <source>This file has no residual-stream sites.</source>
        <translation>此文件不含残差流采集点。</translation>
    </message>
    <message>
        <location filename="../app/gui/ActivationsTab.cpp" line="228"/>
        <source>|A| at block %1 %2</source>
        <translation>块 %1 %2 处的 |A|</translation>
    </message>
    <message>
        <location filename="../app/gui/ActivationsTab.cpp" line="233"/>
        <source>Block %1 %2</source>
        <translation>块 %1 %2</translation>
    </message>
    <message>
        <location filename="../app/gui/ActivationsTab.cpp" line="234"/>
        <source>max |A|</source>
        <translation>最大 |A|</translation>
    </message>
    <message>
        <location filename="../app/gui/ActivationsTab.cpp" line="235"/>
        <source>massive activations</source>
        <translation>巨量激活</translation>
    </message>
    <message>
        <location filename="../app/gui/ActivationsTab.cpp" line="244"/>
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message numerus="yes">
        <location filename="../app/gui/ActivationsTab.cpp" line="256"/>
        <source>mean|A| %1 · median|A| %2 · %n massive activation(s)</source>
        <translation>
            <numerusform>mean|A| %1 · median|A| %2 · %n 个巨量激活</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../app/gui/ActivationsTab.cpp" line="259"/>
        <source> · outlier channels %1</source>
        <translation> · 离群通道 %1</translation>
    </message>
</context>
<context>
    <name>salience::gui::MainWindow</name>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="74"/>
        <source>Weights</source>
        <translation>权重</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="75"/>
        <source>Activations</source>
        <translation>激活</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="76"/>
        <source>Spectrum</source>
        <translation>奇异值谱</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="77"/>
        <source>Quantization</source>
        <translation>量化</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="114"/>
        <source>Layers</source>
        <translation>层</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="120"/>
        <source>Recipe</source>
        <translation>量化方案</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="126"/>
        <source>Model overview</source>
        <translation>模型概览</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="139"/>
        <source>Set rank budget to %1</source>
        <translation>将秩预算设为 %1</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="159"/>
        <source>&amp;Open Model…</source>
        <translation>打开模型(&amp;O)…</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="161"/>
        <source>Open &amp;Activations…</source>
        <translation>打开激活文件(&amp;A)…</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="161"/>
        <source>Ctrl+Shift+O</source>
        <translation>Ctrl+Shift+O</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="163"/>
        <source>Open &amp;Demo Model</source>
        <translation>打开演示模型(&amp;D)</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="163"/>
        <source>Ctrl+D</source>
        <translation>Ctrl+D</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="165"/>
        <source>&amp;Load Plan…</source>
        <translation>加载量化计划(&amp;L)…</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="165"/>
        <source>Ctrl+L</source>
        <translation>Ctrl+L</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="166"/>
        <source>&amp;Save Plan</source>
        <translation>保存量化计划(&amp;S)</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="174"/>
        <source>Save Plan &amp;As…</source>
        <translation>量化计划另存为(&amp;A)…</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="175"/>
        <source>&amp;Fake-quantized safetensors…</source>
        <translation>伪量化 safetensors(&amp;F)…</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="175"/>
        <source>Ctrl+E</source>
        <translation>Ctrl+E</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="177"/>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="179"/>
        <source>&amp;Undo</source>
        <translation>撤销(&amp;U)</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="183"/>
        <source>&amp;Redo</source>
        <translation>重做(&amp;R)</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="187"/>
        <source>Apply Recipe to &amp;Selection</source>
        <translation>将方案应用到所选层(&amp;S)</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="187"/>
        <source>Ctrl+Return</source>
        <translation>Ctrl+Return</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="188"/>
        <source>Apply recipe to selection</source>
        <translation>将方案应用到所选层</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="189"/>
        <source>Apply Recipe to &amp;Block</source>
        <translation>将方案应用到整个块(&amp;B)</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="189"/>
        <source>Ctrl+B</source>
        <translation>Ctrl+B</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="190"/>
        <source>Apply recipe to block</source>
        <translation>将方案应用到整个块</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="191"/>
        <source>Apply Recipe to All Layers of This &amp;Role</source>
        <translation>将方案应用到同角色的所有层(&amp;R)</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="191"/>
        <source>Ctrl+Shift+R</source>
        <translation>Ctrl+Shift+R</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="192"/>
        <source>Apply recipe to role</source>
        <translation>将方案应用到同角色的层</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="193"/>
        <source>Reset &amp;Layer</source>
        <translation>重置层(&amp;L)</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="193"/>
        <source>Ctrl+Backspace</source>
        <translation>Ctrl+Backspace</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="196"/>
        <source>&amp;Reset Layout</source>
        <translation>重置布局(&amp;R)</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="198"/>
        <source>&amp;Light Plots</source>
        <translation>浅色图表(&amp;L)</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="200"/>
        <source>&amp;Dark Plots</source>
        <translation>深色图表(&amp;D)</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="208"/>
        <source>Quantize &amp;Selected</source>
        <translation>量化所选层(&amp;S)</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="208"/>
        <source>Ctrl+R</source>
        <translation>Ctrl+R</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="210"/>
        <source>Quantize &amp;All</source>
        <translation>全部量化(&amp;A)</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="210"/>
        <source>Ctrl+Shift+A</source>
        <translation>Ctrl+Shift+A</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="212"/>
        <source>&amp;Cancel</source>
        <translation>取消(&amp;C)</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="214"/>
        <source>Method &amp;Glossary</source>
        <translation>方法术语表(&amp;G)</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="215"/>
        <source>&amp;About Salience</source>
        <translation>关于 Salience(&amp;A)</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="220"/>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="224"/>
        <source>Open &amp;Recent</source>
        <translation>最近打开(&amp;R)</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="230"/>
        <source>&amp;Export</source>
        <translation>导出(&amp;E)</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="235"/>
        <source>&amp;Edit</source>
        <translation>编辑(&amp;E)</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="244"/>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="254"/>
        <source>&amp;Run</source>
        <translation>运行(&amp;R)</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="259"/>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="263"/>
        <source>Main</source>
        <translation>主工具栏</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="285"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="314"/>
        <source>%1: done</source>
        <translation>%1：已完成</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="316"/>
        <source>%1: cancelled, nothing was applied</source>
        <translation>%1：已取消，未应用任何更改</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="318"/>
        <source>%1 failed</source>
        <translation>%1 失败</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="323"/>
        <source>Cannot analyze the layer</source>
        <translation>无法分析该层</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="325"/>
        <source>Preview failed: %1</source>
        <translation>预览失败：%1</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="358"/>
        <source>Opened %1</source>
        <translation>已打开 %1</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="361"/>
        <source>Cannot open the model</source>
        <translation>无法打开模型</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="377"/>
        <source>Opened activations %1 (%2 layers matched)</source>
        <translation>已打开激活文件 %1（匹配 %2 个层）</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="381"/>
        <source>Cannot open the activations</source>
        <translation>无法打开激活文件</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="392"/>
        <source>demo model</source>
        <translation>演示模型</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="392"/>
        <source>planted activations</source>
        <translation>预置激活</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="449"/>
        <source>&lt;b&gt;%1&lt;/b&gt; &amp;nbsp; %2 × %3 · block %4 · %5%6</source>
        <translation>&lt;b&gt;%1&lt;/b&gt; &amp;nbsp; %2 × %3 · 块 %4 · %5%6</translation>
    </message>
    <message numerus="yes">
        <location filename="../app/gui/MainWindow.cpp" line="455"/>
        <source> · %n layers selected</source>
        <translation>
            <numerusform> · 已选 %n 个层</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="558"/>
        <source>Set %1 to %2</source>
        <translation>将 %1 设为 %2</translation>
    </message>
    <message numerus="yes">
        <location filename="../app/gui/MainWindow.cpp" line="559"/>
        <source>Set %n layers to %1</source>
        <translation>
            <numerusform>将 %n 个层设为 %1</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="666"/>
        <source>Quantize all layers</source>
        <translation>量化所有层</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="686"/>
        <source>Quantize selected layers</source>
        <translation>量化所选层</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="703"/>
        <source>The model or plan changed while the job ran: its results were not applied</source>
        <translation>任务运行期间模型或量化计划已改变：其结果未被应用</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="716"/>
        <source>Export fake-quantized safetensors</source>
        <translation>导出伪量化 safetensors</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="727"/>
        <source>Exported %1</source>
        <translation>已导出 %1</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="738"/>
        <source>Loaded plan %1</source>
        <translation>已加载量化计划 %1</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="742"/>
        <source>Cannot load the plan</source>
        <translation>无法加载量化计划</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="752"/>
        <source>Saved plan %1</source>
        <translation>已保存量化计划 %1</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="756"/>
        <source>Cannot save the plan</source>
        <translation>无法保存量化计划</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="765"/>
        <source>Unsaved plan</source>
        <translation>量化计划未保存</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="766"/>
        <source>The plan has unsaved changes. Save them first?</source>
        <translation>量化计划有未保存的更改。是否先保存？</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="780"/>
        <source>Open Model</source>
        <translation>打开模型</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="781"/>
        <source>Models (*.safetensors *.gguf *.bin *.json);;All files (*)</source>
        <translation>模型 (*.safetensors *.gguf *.bin *.json);;所有文件 (*)</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="791"/>
        <source>Open Activations</source>
        <translation>打开激活文件</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="793"/>
        <source>Activation files (*.h5 *.hdf5);;llama.cpp imatrix (*.dat *.gguf);;All files (*)</source>
        <translation>激活文件 (*.h5 *.hdf5);;llama.cpp 重要性矩阵 (*.dat *.gguf);;所有文件 (*)</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="802"/>
        <source>Load Plan</source>
        <translation>加载量化计划</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="803"/>
        <source>Plans (*.json);;All files (*)</source>
        <translation>量化计划 (*.json);;所有文件 (*)</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="812"/>
        <source>Save Plan</source>
        <translation>保存量化计划</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="812"/>
        <source>Plans (*.json)</source>
        <translation>量化计划 (*.json)</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="832"/>
        <source>Export Fake-quantized Safetensors</source>
        <translation>导出伪量化 Safetensors</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="833"/>
        <source>Safetensors (*.safetensors)</source>
        <translation>Safetensors (*.safetensors)</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="847"/>
        <source>About Salience</source>
        <translation>关于 Salience</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="848"/>
        <source>&lt;h3&gt;Salience %1&lt;/h3&gt;&lt;p&gt;A workbench for looking inside a language model and quantizing it: massive activations, outlier channels and singular spectra, layer by layer, with a recipe per layer and a live preview.&lt;/p&gt;</source>
        <translation>&lt;h3&gt;Salience %1&lt;/h3&gt;&lt;p&gt;一个深入查看语言模型内部并对其进行量化的工作台：逐层分析巨量激活、离群通道和奇异值谱，为每一层设置量化方案，并实时预览效果。&lt;/p&gt;</translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="868"/>
        <source>no model</source>
        <translation>未打开模型</translation>
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
        <location filename="../app/gui/QuantizationTab.cpp" line="70"/>
        <source>Scales per group (%1)</source>
        <translation>各分组的缩放因子（%1）</translation>
    </message>
    <message>
        <location filename="../app/gui/QuantizationTab.cpp" line="81"/>
        <source>Relative weight error</source>
        <translation>相对权重误差</translation>
    </message>
    <message>
        <location filename="../app/gui/QuantizationTab.cpp" line="82"/>
        <source>Relative output error</source>
        <translation>相对输出误差</translation>
    </message>
    <message>
        <location filename="../app/gui/QuantizationTab.cpp" line="83"/>
        <source>— (no activations)</source>
        <translation>—（无激活数据）</translation>
    </message>
    <message>
        <location filename="../app/gui/QuantizationTab.cpp" line="84"/>
        <source>SQNR</source>
        <translation>SQNR</translation>
    </message>
    <message>
        <location filename="../app/gui/QuantizationTab.cpp" line="84"/>
        <source>%1 dB</source>
        <translation>%1 dB</translation>
    </message>
    <message>
        <location filename="../app/gui/QuantizationTab.cpp" line="85"/>
        <source>Bits per weight</source>
        <translation>每权重比特数</translation>
    </message>
    <message>
        <location filename="../app/gui/QuantizationTab.cpp" line="93"/>
        <source>codes</source>
        <translation>量化码</translation>
    </message>
    <message>
        <location filename="../app/gui/QuantizationTab.cpp" line="94"/>
        <source>scales</source>
        <translation>缩放因子</translation>
    </message>
    <message>
        <location filename="../app/gui/QuantizationTab.cpp" line="95"/>
        <source>zero points</source>
        <translation>零点</translation>
    </message>
    <message>
        <location filename="../app/gui/QuantizationTab.cpp" line="96"/>
        <source>permutation</source>
        <translation>置换</translation>
    </message>
    <message>
        <location filename="../app/gui/QuantizationTab.cpp" line="97"/>
        <source>input scaling</source>
        <translation>输入缩放</translation>
    </message>
    <message>
        <location filename="../app/gui/QuantizationTab.cpp" line="98"/>
        <source>rotation</source>
        <translation>旋转</translation>
    </message>
    <message>
        <location filename="../app/gui/QuantizationTab.cpp" line="99"/>
        <source>sparse weights</source>
        <translation>稀疏权重</translation>
    </message>
    <message>
        <location filename="../app/gui/QuantizationTab.cpp" line="100"/>
        <source>low-rank factors</source>
        <translation>低秩因子</translation>
    </message>
    <message>
        <location filename="../app/gui/QuantizationTab.cpp" line="114"/>
        <source>|W|</source>
        <translation>|W|</translation>
    </message>
    <message>
        <location filename="../app/gui/QuantizationTab.cpp" line="117"/>
        <source>|Ŵ|</source>
        <translation>|Ŵ|</translation>
    </message>
    <message>
        <location filename="../app/gui/QuantizationTab.cpp" line="120"/>
        <source>W − Ŵ</source>
        <translation>W − Ŵ</translation>
    </message>
    <message>
        <location filename="../app/gui/QuantizationTab.cpp" line="132"/>
        <source>Select a layer to preview its recipe.</source>
        <translation>选择一个层以预览其量化方案。</translation>
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
        <location filename="../app/gui/SpectrumTab.cpp" line="37"/>
        <source>Singular values of %1</source>
        <translation>%1 的奇异值</translation>
    </message>
    <message>
        <location filename="../app/gui/SpectrumTab.cpp" line="39"/>
        <source>W: effective rank %1, stable rank %2, 90% of the energy in rank %3</source>
        <translation>W：有效秩 %1，稳定秩 %2，保留 90% 能量需秩 %3</translation>
    </message>
    <message>
        <location filename="../app/gui/SpectrumTab.cpp" line="44"/>
        <source> · W·diag(s): effective rank %1, stable rank %2, 90% in rank %3</source>
        <translation> · W·diag(s)：有效秩 %1，稳定秩 %2，保留 90% 能量需秩 %3</translation>
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
        <location filename="../widgets/HeatmapView.cpp" line="89"/>
        <source>Column</source>
        <translation>列</translation>
    </message>
    <message>
        <location filename="../widgets/HeatmapView.cpp" line="90"/>
        <source>Row</source>
        <translation>行</translation>
    </message>
    <message>
        <location filename="../widgets/HeatmapView.cpp" line="93"/>
        <source>No data</source>
        <translation>无数据</translation>
    </message>
    <message>
        <location filename="../widgets/HeatmapView.cpp" line="205"/>
        <source>row %1, column %2: |x| = %3</source>
        <translation>第 %1 行，第 %2 列：|x| = %3</translation>
    </message>
    <message>
        <location filename="../widgets/HeatmapView.cpp" line="206"/>
        <source>row %1, column %2: x = %3</source>
        <translation>第 %1 行，第 %2 列：x = %3</translation>
    </message>
    <message>
        <location filename="../widgets/HeatmapView.cpp" line="213"/>
        <source>rows %1–%2, columns %3–%4: max |x| = %5</source>
        <translation>第 %1–%2 行，第 %3–%4 列：最大 |x| = %5</translation>
    </message>
    <message>
        <location filename="../widgets/HeatmapView.cpp" line="215"/>
        <source>rows %1–%2, columns %3–%4: largest-magnitude x = %5</source>
        <translation>第 %1–%2 行，第 %3–%4 列：绝对值最大的 x = %5</translation>
    </message>
    <message>
        <location filename="../widgets/HeatmapView.cpp" line="286"/>
        <source>value</source>
        <translation>值</translation>
    </message>
    <message>
        <location filename="../widgets/HeatmapView.cpp" line="286"/>
        <source>|value|</source>
        <translation>|值|</translation>
    </message>
    <message>
        <location filename="../widgets/HeatmapView.cpp" line="296"/>
        <source>Hover over a cell to read its value. Wheel zooms, drag pans, double-click resets.</source>
        <translation>将鼠标悬停在单元格上可读取其数值。滚轮缩放，拖动平移，双击复位。</translation>
    </message>
    <message>
        <location filename="../widgets/HeatmapView.cpp" line="298"/>
        <source>Shown in blocks of %1 × %2 (largest |x| of each). %3</source>
        <translation>按 %1 × %2 分块显示（取每块中最大的 |x|）。%3</translation>
    </message>
</context>
<context>
    <name>salience::widgets::HistogramPlot</name>
    <message>
        <location filename="../widgets/HistogramPlot.cpp" line="41"/>
        <source>No data</source>
        <translation>无数据</translation>
    </message>
    <message>
        <location filename="../widgets/HistogramPlot.cpp" line="97"/>
        <location filename="../widgets/HistogramPlot.cpp" line="199"/>
        <source>Count (log scale)</source>
        <translation>计数（对数刻度）</translation>
    </message>
    <message>
        <location filename="../widgets/HistogramPlot.cpp" line="97"/>
        <location filename="../widgets/HistogramPlot.cpp" line="199"/>
        <source>Count</source>
        <translation>计数</translation>
    </message>
    <message>
        <location filename="../widgets/HistogramPlot.cpp" line="165"/>
        <source>bin %1: [%2, %3%4: %5 values</source>
        <translation>区间 %1：[%2, %3%4：%5 个值</translation>
    </message>
    <message>
        <location filename="../widgets/HistogramPlot.cpp" line="207"/>
        <source>%1 values in %2 bins of width %3</source>
        <translation>%1 个值，分布在 %2 个宽度为 %3 的区间中</translation>
    </message>
    <message>
        <location filename="../widgets/HistogramPlot.cpp" line="213"/>
        <source>NaN: %1</source>
        <translation>NaN：%1</translation>
    </message>
    <message>
        <location filename="../widgets/HistogramPlot.cpp" line="215"/>
        <source>+Inf: %1</source>
        <translation>+Inf：%1</translation>
    </message>
    <message>
        <location filename="../widgets/HistogramPlot.cpp" line="217"/>
        <source>−Inf: %1</source>
        <translation>−Inf：%1</translation>
    </message>
    <message>
        <location filename="../widgets/HistogramPlot.cpp" line="219"/>
        <source>below range: %1</source>
        <translation>低于范围：%1</translation>
    </message>
    <message>
        <location filename="../widgets/HistogramPlot.cpp" line="221"/>
        <source>above range: %1</source>
        <translation>高于范围：%1</translation>
    </message>
    <message>
        <location filename="../widgets/HistogramPlot.cpp" line="223"/>
        <source>; not in any bin: %1</source>
        <translation>；不在任何区间内：%1</translation>
    </message>
    <message>
        <location filename="../widgets/HistogramPlot.cpp" line="225"/>
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
        <location filename="../widgets/OverviewPanel.cpp" line="88"/>
        <source>Layer</source>
        <translation>层</translation>
    </message>
    <message>
        <location filename="../widgets/OverviewPanel.cpp" line="88"/>
        <source>Block</source>
        <translation>块</translation>
    </message>
    <message>
        <location filename="../widgets/OverviewPanel.cpp" line="88"/>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <location filename="../widgets/OverviewPanel.cpp" line="88"/>
        <source>Method</source>
        <translation>方法</translation>
    </message>
    <message>
        <location filename="../widgets/OverviewPanel.cpp" line="88"/>
        <source>Bits</source>
        <translation>比特数</translation>
    </message>
    <message>
        <location filename="../widgets/OverviewPanel.cpp" line="88"/>
        <source>Bits/w</source>
        <translation>Bits/w</translation>
    </message>
    <message>
        <location filename="../widgets/OverviewPanel.cpp" line="89"/>
        <source>Rel. weight error</source>
        <translation>相对权重误差</translation>
    </message>
    <message>
        <location filename="../widgets/OverviewPanel.cpp" line="89"/>
        <source>Rel. output error</source>
        <translation>相对输出误差</translation>
    </message>
    <message>
        <location filename="../widgets/OverviewPanel.cpp" line="91"/>
        <source>Bits per weight, scales and zero points included</source>
        <translation>每权重比特数（含缩放因子和零点）</translation>
    </message>
    <message>
        <location filename="../widgets/OverviewPanel.cpp" line="92"/>
        <source>‖W − Ŵ‖ / ‖W‖</source>
        <translation>‖W − Ŵ‖ / ‖W‖</translation>
    </message>
    <message>
        <location filename="../widgets/OverviewPanel.cpp" line="94"/>
        <source>‖(W − Ŵ)·X‖ / ‖W·X‖ on the collected activations X</source>
        <translation>在已采集的激活 X 上计算的 ‖(W − Ŵ)·X‖ / ‖W·X‖</translation>
    </message>
    <message>
        <location filename="../widgets/OverviewPanel.cpp" line="197"/>
        <source>Size: %1 → %2 · average %3 bits/weight · %4 of %5 layers quantized</source>
        <translation>大小：%1 → %2 · 平均每权重 %3 比特 · 已量化 %4 / %5 个层</translation>
    </message>
    <message>
        <location filename="../widgets/OverviewPanel.cpp" line="213"/>
        <source>No quantization results yet: run a plan to see sizes and errors.</source>
        <translation>尚无量化结果：运行量化计划后即可查看大小和误差。</translation>
    </message>
    <message>
        <location filename="../widgets/OverviewPanel.cpp" line="214"/>
        <source>Perplexity: —</source>
        <translation>困惑度：—</translation>
    </message>
    <message>
        <location filename="../widgets/OverviewPanel.cpp" line="286"/>
        <source>Relative output error</source>
        <translation>相对输出误差</translation>
    </message>
    <message>
        <location filename="../widgets/OverviewPanel.cpp" line="286"/>
        <source>Relative weight error</source>
        <translation>相对权重误差</translation>
    </message>
    <message>
        <location filename="../widgets/OverviewPanel.cpp" line="327"/>
        <source>Block %1</source>
        <translation>块 %1</translation>
    </message>
    <message>
        <location filename="../widgets/OverviewPanel.cpp" line="358"/>
        <source>No results yet</source>
        <translation>尚无结果</translation>
    </message>
    <message>
        <location filename="../widgets/OverviewPanel.cpp" line="358"/>
        <source>No layer is quantized</source>
        <translation>没有已量化的层</translation>
    </message>
    <message>
        <location filename="../widgets/OverviewPanel.cpp" line="421"/>
        <source>kept at full precision</source>
        <translation>保持全精度</translation>
    </message>
    <message>
        <location filename="../widgets/OverviewPanel.cpp" line="423"/>
        <source>%1 %2-bit · %3 bits/weight</source>
        <translation>%1 %2 比特 · 每权重 %3 比特</translation>
    </message>
    <message>
        <location filename="../widgets/OverviewPanel.cpp" line="424"/>
        <source>weight error %1</source>
        <translation>权重误差 %1</translation>
    </message>
    <message>
        <location filename="../widgets/OverviewPanel.cpp" line="426"/>
        <source>output error %1</source>
        <translation>输出误差 %1</translation>
    </message>
</context>
<context>
    <name>salience::widgets::ProfilePlot</name>
    <message>
        <location filename="../widgets/ProfilePlot.cpp" line="35"/>
        <source>Index</source>
        <translation>索引</translation>
    </message>
    <message>
        <location filename="../widgets/ProfilePlot.cpp" line="36"/>
        <source>Value</source>
        <translation>值</translation>
    </message>
    <message>
        <location filename="../widgets/ProfilePlot.cpp" line="38"/>
        <source>No data</source>
        <translation>无数据</translation>
    </message>
    <message>
        <location filename="../widgets/ProfilePlot.cpp" line="189"/>
        <source>%1 = %2</source>
        <translation>%1 = %2</translation>
    </message>
    <message>
        <location filename="../widgets/ProfilePlot.cpp" line="190"/>
        <source>index %1: %2</source>
        <translation>索引 %1：%2</translation>
    </message>
    <message>
        <location filename="../widgets/ProfilePlot.cpp" line="192"/>
        <source> (%1)</source>
        <translation>（%1）</translation>
    </message>
    <message>
        <location filename="../widgets/ProfilePlot.cpp" line="192"/>
        <source>marked</source>
        <translation>已标记</translation>
    </message>
    <message>
        <location filename="../widgets/ProfilePlot.cpp" line="240"/>
        <source>Hover to read the values. Wheel zooms, drag pans, double-click resets.</source>
        <translation>悬停鼠标可读取数值。滚轮缩放，拖动平移，双击复位。</translation>
    </message>
    <message>
        <location filename="../widgets/ProfilePlot.cpp" line="297"/>
        <source>Marked</source>
        <translation>已标记</translation>
    </message>
</context>
<context>
    <name>salience::widgets::RecipeEditor</name>
    <message>
        <location filename="../widgets/RecipeEditor.cpp" line="49"/>
        <source>Symmetric grid (zero point fixed at the middle)</source>
        <translation>对称网格（零点固定在中间）</translation>
    </message>
    <message>
        <location filename="../widgets/RecipeEditor.cpp" line="52"/>
        <source>Method parameters</source>
        <translation>方法参数</translation>
    </message>
    <message>
        <location filename="../widgets/RecipeEditor.cpp" line="62"/>
        <source>%1 (%2)</source>
        <translation>%1（%2）</translation>
    </message>
    <message>
        <location filename="../widgets/RecipeEditor.cpp" line="67"/>
        <source>How the layer&apos;s weights are quantized. Help ▸ Method Glossary explains each method.</source>
        <translation>该层权重的量化方式。“帮助 ▸ 方法术语表”中解释了每种方法。</translation>
    </message>
    <message>
        <location filename="../widgets/RecipeEditor.cpp" line="72"/>
        <source> bits</source>
        <translation> 比特</translation>
    </message>
    <message>
        <location filename="../widgets/RecipeEditor.cpp" line="73"/>
        <source>Bits per quantized weight: 2^bits grid points.</source>
        <translation>每个量化权重的比特数：网格共有 2^bits 个格点。</translation>
    </message>
    <message>
        <location filename="../widgets/RecipeEditor.cpp" line="75"/>
        <source>per channel</source>
        <translation>逐通道</translation>
    </message>
    <message>
        <location filename="../widgets/RecipeEditor.cpp" line="76"/>
        <source>per tensor</source>
        <translation>逐张量</translation>
    </message>
    <message>
        <location filename="../widgets/RecipeEditor.cpp" line="79"/>
        <source>custom</source>
        <translation>自定义</translation>
    </message>
    <message>
        <location filename="../widgets/RecipeEditor.cpp" line="80"/>
        <source>How many consecutive input columns share one scale (and zero point): a group of columns, a whole output channel, or the whole tensor.</source>
        <translation>多少个连续输入列共用一个缩放因子（及零点）：可以是一组列、一整个输出通道或整个张量。</translation>
    </message>
    <message>
        <location filename="../widgets/RecipeEditor.cpp" line="84"/>
        <source> columns</source>
        <translation> 列</translation>
    </message>
    <message>
        <location filename="../widgets/RecipeEditor.cpp" line="85"/>
        <source>Group size when “custom” is chosen.</source>
        <translation>选择“自定义”时的分组大小。</translation>
    </message>
    <message>
        <location filename="../widgets/RecipeEditor.cpp" line="92"/>
        <source>Symmetric grids store only a scale; asymmetric ones also a zero point, which fits skewed weight ranges better.</source>
        <translation>对称网格只存储缩放因子；非对称网格还存储零点，能更好地适应偏斜的权重范围。</translation>
    </message>
    <message>
        <location filename="../widgets/RecipeEditor.cpp" line="95"/>
        <source>Rank of the low-rank correction kept in full precision (0: none).</source>
        <translation>以全精度保留的低秩修正项的秩（0：不使用）。</translation>
    </message>
    <message>
        <location filename="../widgets/RecipeEditor.cpp" line="99"/>
        <source> %</source>
        <translation> %</translation>
    </message>
    <message>
        <location filename="../widgets/RecipeEditor.cpp" line="100"/>
        <source>Share of the most salient weights kept in full precision.</source>
        <translation>以全精度保留的最显著权重所占的比例。</translation>
    </message>
    <message>
        <location filename="../widgets/RecipeEditor.cpp" line="105"/>
        <source>Method</source>
        <translation>方法</translation>
    </message>
    <message>
        <location filename="../widgets/RecipeEditor.cpp" line="107"/>
        <source>Bits</source>
        <translation>比特数</translation>
    </message>
    <message>
        <location filename="../widgets/RecipeEditor.cpp" line="108"/>
        <source>Group size</source>
        <translation>分组大小</translation>
    </message>
    <message>
        <location filename="../widgets/RecipeEditor.cpp" line="110"/>
        <source>Rank budget</source>
        <translation>秩预算</translation>
    </message>
    <message>
        <location filename="../widgets/RecipeEditor.cpp" line="111"/>
        <source>Protect</source>
        <translation>保护比例</translation>
    </message>
    <message>
        <location filename="../widgets/RecipeEditor.cpp" line="147"/>
        <source>%1 (not registered)</source>
        <translation>%1（未注册）</translation>
    </message>
    <message>
        <location filename="../widgets/RecipeEditor.cpp" line="240"/>
        <source>This method has no parameters of its own.</source>
        <translation>此方法没有专属参数。</translation>
    </message>
    <message>
        <location filename="../widgets/RecipeEditor.cpp" line="266"/>
        <source>%1
Range %2 … %3, default %4</source>
        <translation>%1
范围 %2 … %3，默认值 %4</translation>
    </message>
    <message>
        <location filename="../widgets/RecipeEditor.cpp" line="301"/>
        <source>This method is not registered in this version of Salience.</source>
        <translation>此版本的 Salience 中未注册该方法。</translation>
    </message>
    <message>
        <location filename="../widgets/RecipeEditor.cpp" line="304"/>
        <source>This method uses the layer&apos;s activations; the collected ones will be used.</source>
        <translation>此方法会用到该层的激活数据；将使用已采集的激活。</translation>
    </message>
    <message>
        <location filename="../widgets/RecipeEditor.cpp" line="305"/>
        <source>⚠ This method needs the layer&apos;s activations. Collect activations first (or open the demo model, which brings its own).</source>
        <translation>⚠ 此方法需要该层的激活数据。请先采集激活（或打开自带激活数据的演示模型）。</translation>
    </message>
    <message>
        <location filename="../widgets/RecipeEditor.cpp" line="318"/>
        <source>No layer selected: select layers in the layer tree to edit their recipe.</source>
        <translation>未选择层：请在层树中选择层以编辑其量化方案。</translation>
    </message>
    <message>
        <location filename="../widgets/RecipeEditor.cpp" line="320"/>
        <source>Recipe of the selected layer</source>
        <translation>所选层的量化方案</translation>
    </message>
    <message numerus="yes">
        <location filename="../widgets/RecipeEditor.cpp" line="322"/>
        <source>%n layers selected — editing applies to all</source>
        <translation>
            <numerusform>已选择 %n 个层——编辑将应用于全部所选层</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../widgets/RecipeEditor.cpp" line="324"/>
        <source>Their recipes differ; the first one is shown.</source>
        <translation>各层的量化方案不同；当前显示第一个层的方案。</translation>
    </message>
</context>
<context>
    <name>salience::widgets::SpectrumPlot</name>
    <message>
        <location filename="../widgets/SpectrumPlot.cpp" line="50"/>
        <source>Index i (singular values in decreasing order)</source>
        <translation>索引 i（奇异值按降序排列）</translation>
    </message>
    <message>
        <location filename="../widgets/SpectrumPlot.cpp" line="55"/>
        <source>Cumulative energy (fraction kept)</source>
        <translation>累积能量（保留比例）</translation>
    </message>
    <message>
        <location filename="../widgets/SpectrumPlot.cpp" line="63"/>
        <source>σᵢ(W)</source>
        <translation>σᵢ(W)</translation>
    </message>
    <message>
        <location filename="../widgets/SpectrumPlot.cpp" line="65"/>
        <source>energy of W</source>
        <translation>W 的能量</translation>
    </message>
    <message>
        <location filename="../widgets/SpectrumPlot.cpp" line="64"/>
        <source>σᵢ(W·diag(s))</source>
        <translation>σᵢ(W·diag(s))</translation>
    </message>
    <message>
        <location filename="../widgets/SpectrumPlot.cpp" line="66"/>
        <source>energy of W·diag(s)</source>
        <translation>W·diag(s) 的能量</translation>
    </message>
    <message>
        <location filename="../widgets/SpectrumPlot.cpp" line="95"/>
        <source>No data</source>
        <translation>无数据</translation>
    </message>
    <message>
        <location filename="../widgets/SpectrumPlot.cpp" line="96"/>
        <source>Press or drag in the plot to move the rank budget k. The wheel zooms the index axis; double-click resets.</source>
        <translation>在图中按下或拖动可移动秩预算 k。滚轮缩放索引轴；双击复位。</translation>
    </message>
    <message>
        <location filename="../widgets/SpectrumPlot.cpp" line="309"/>
        <source>σᵢ / σ₁ (log scale)</source>
        <translation>σᵢ / σ₁（对数刻度）</translation>
    </message>
    <message>
        <location filename="../widgets/SpectrumPlot.cpp" line="310"/>
        <source>Singular value σᵢ (log scale)</source>
        <translation>奇异值 σᵢ（对数刻度）</translation>
    </message>
    <message>
        <location filename="../widgets/SpectrumPlot.cpp" line="330"/>
        <source>k = %1</source>
        <translation>k = %1</translation>
    </message>
    <message>
        <location filename="../widgets/SpectrumPlot.cpp" line="348"/>
        <source>k = %1: %2% of W&apos;s energy, %3% of W·diag(s)</source>
        <translation>k = %1：保留 W 能量的 %2%，W·diag(s) 能量的 %3%</translation>
    </message>
    <message>
        <location filename="../widgets/SpectrumPlot.cpp" line="363"/>
        <source>W·diag(s)</source>
        <translation>W·diag(s)</translation>
    </message>
    <message>
        <location filename="../widgets/SpectrumPlot.cpp" line="354"/>
        <source>k = %1: %2% of W&apos;s energy</source>
        <translation>k = %1：保留 W 能量的 %2%</translation>
    </message>
    <message>
        <location filename="../widgets/SpectrumPlot.cpp" line="357"/>
        <source>%1: effective rank %2, stable rank %3</source>
        <translation>%1：有效秩 %2，稳定秩 %3</translation>
    </message>
    <message>
        <location filename="../widgets/SpectrumPlot.cpp" line="361"/>
        <source>W</source>
        <translation>W</translation>
    </message>
    <message>
        <location filename="../widgets/SpectrumPlot.cpp" line="364"/>
        <source>  ·  %1 singular values</source>
        <translation>  ·  共 %1 个奇异值</translation>
    </message>
</context>
</TS>
