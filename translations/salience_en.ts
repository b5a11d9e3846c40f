<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en">
<context>
    <name>MethodRegistry</name>
    <message>
        <location filename="../widgets/MethodText.cpp" line="12"/>
        <source>Full precision</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/MethodText.cpp" line="13"/>
        <source>Keeps the layer&apos;s weights as they are. Use it for layers too sensitive to quantize.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/MethodText.cpp" line="15"/>
        <source>Round to nearest</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/MethodText.cpp" line="16"/>
        <source>Rounds every weight to the nearest point of a uniform grid: one scale (and zero point when asymmetric) per group of consecutive input columns, stored as float16. The baseline every other method is measured against.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <location filename="../app/gui/main.cpp" line="77"/>
        <source>Look inside a language model and quantize it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/main.cpp" line="80"/>
        <source>A .safetensors, .gguf or llama2.c .bin file, or a Hugging Face directory.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/main.cpp" line="82"/>
        <source>Activation file (HDF5) to open with the model.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/main.cpp" line="85"/>
        <source>Render the window to FILE (PNG) after loading, then exit.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/main.cpp" line="87"/>
        <source>Tab to show: weights, activations, spectrum, quantization.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/main.cpp" line="89"/>
        <source>Layer to select after loading.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/main.cpp" line="90"/>
        <source>Language, e.g. zh_CN or en (default: the system&apos;s).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/main.cpp" line="92"/>
        <source>Window size for --screenshot, WIDTHxHEIGHT.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/main.cpp" line="95"/>
        <source>Run Quantize All after loading (with --screenshot: before the picture).</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>salience::gui::ActivationsTab</name>
    <message>
        <location filename="../app/gui/ActivationsTab.cpp" line="44"/>
        <source>No activations for this layer.

Open an activation file (File ▸ Open Activations…) or use the demo model, whose activations are built in.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/ActivationsTab.cpp" line="52"/>
        <location filename="../app/gui/ActivationsTab.cpp" line="54"/>
        <source>input channel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/ActivationsTab.cpp" line="52"/>
        <source>magnitude</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/ActivationsTab.cpp" line="54"/>
        <location filename="../app/gui/ActivationsTab.cpp" line="62"/>
        <source>token</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/ActivationsTab.cpp" line="57"/>
        <source>Largest |A| per dimension</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/ActivationsTab.cpp" line="57"/>
        <source>|A| per token and dimension</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/ActivationsTab.cpp" line="59"/>
        <location filename="../app/gui/ActivationsTab.cpp" line="62"/>
        <source>hidden dimension</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/ActivationsTab.cpp" line="59"/>
        <source>max |A| over tokens</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/ActivationsTab.cpp" line="68"/>
        <source>Token</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/ActivationsTab.cpp" line="68"/>
        <source>Dim</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/ActivationsTab.cpp" line="68"/>
        <source>Value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/ActivationsTab.cpp" line="68"/>
        <source>× median</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/ActivationsTab.cpp" line="68"/>
        <source>Massive</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/ActivationsTab.cpp" line="85"/>
        <source>Thresholds</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/ActivationsTab.cpp" line="95"/>
        <source>Massive η</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/ActivationsTab.cpp" line="95"/>
        <source>A massive activation exceeds η × mean|A| …</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/ActivationsTab.cpp" line="96"/>
        <source>Massive γ</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/ActivationsTab.cpp" line="96"/>
        <source>… and the absolute value γ</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/ActivationsTab.cpp" line="97"/>
        <source>Channel η</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/ActivationsTab.cpp" line="98"/>
        <source>An outlier channel&apos;s |mean| exceeds η × std(A) + mean|A| …</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/ActivationsTab.cpp" line="99"/>
        <source>Channel β</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/ActivationsTab.cpp" line="99"/>
        <source>… and its spread std/|mean| stays below β</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/ActivationsTab.cpp" line="108"/>
        <source>Layer input</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/ActivationsTab.cpp" line="113"/>
        <source>Residual stream of this block</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/ActivationsTab.cpp" line="116"/>
        <source>Site:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/ActivationsTab.cpp" line="184"/>
        <source>abs-max</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/ActivationsTab.cpp" line="185"/>
        <source>RMS</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/ActivationsTab.cpp" line="186"/>
        <source>Input per channel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/ActivationsTab.cpp" line="195"/>
        <source>outlier channels</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/ActivationsTab.cpp" line="200"/>
        <source>|X|: tokens × channels</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/ActivationsTab.cpp" line="223"/>
        <source>This file has no residual-stream sites.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/ActivationsTab.cpp" line="228"/>
        <source>|A| at block %1 %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/ActivationsTab.cpp" line="233"/>
        <source>Block %1 %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/ActivationsTab.cpp" line="234"/>
        <source>max |A|</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/ActivationsTab.cpp" line="235"/>
        <source>massive activations</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/ActivationsTab.cpp" line="244"/>
        <source>yes</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../app/gui/ActivationsTab.cpp" line="256"/>
        <source>mean|A| %1 · median|A| %2 · %n massive activation(s)</source>
        <translation>
            <numerusform>mean|A| %1 · median|A| %2 · %n massive activation</numerusform>
            <numerusform>mean|A| %1 · median|A| %2 · %n massive activations</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../app/gui/ActivationsTab.cpp" line="259"/>
        <source> · outlier channels %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>salience::gui::MainWindow</name>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="74"/>
        <source>Weights</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="75"/>
        <source>Activations</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="76"/>
        <source>Spectrum</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="77"/>
        <source>Quantization</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="114"/>
        <source>Layers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="120"/>
        <source>Recipe</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="126"/>
        <source>Model overview</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="139"/>
        <source>Set rank budget to %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="159"/>
        <source>&amp;Open Model…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="161"/>
        <source>Open &amp;Activations…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="161"/>
        <source>Ctrl+Shift+O</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="163"/>
        <source>Open &amp;Demo Model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="163"/>
        <source>Ctrl+D</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="165"/>
        <source>&amp;Load Plan…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="165"/>
        <source>Ctrl+L</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="166"/>
        <source>&amp;Save Plan</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="174"/>
        <source>Save Plan &amp;As…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="175"/>
        <source>&amp;Fake-quantized safetensors…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="175"/>
        <source>Ctrl+E</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="177"/>
        <source>&amp;Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="179"/>
        <source>&amp;Undo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="183"/>
        <source>&amp;Redo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="187"/>
        <source>Apply Recipe to &amp;Selection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="187"/>
        <source>Ctrl+Return</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="188"/>
        <source>Apply recipe to selection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="189"/>
        <source>Apply Recipe to &amp;Block</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="189"/>
        <source>Ctrl+B</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="190"/>
        <source>Apply recipe to block</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="191"/>
        <source>Apply Recipe to All Layers of This &amp;Role</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="191"/>
        <source>Ctrl+Shift+R</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="192"/>
        <source>Apply recipe to role</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="193"/>
        <source>Reset &amp;Layer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="193"/>
        <source>Ctrl+Backspace</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="196"/>
        <source>&amp;Reset Layout</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="198"/>
        <source>&amp;Light Plots</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="200"/>
        <source>&amp;Dark Plots</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="208"/>
        <source>Quantize &amp;Selected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="208"/>
        <source>Ctrl+R</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="210"/>
        <source>Quantize &amp;All</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="210"/>
        <source>Ctrl+Shift+A</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="212"/>
        <source>&amp;Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="214"/>
        <source>Method &amp;Glossary</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="215"/>
        <source>&amp;About Salience</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="220"/>
        <source>&amp;File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="224"/>
        <source>Open &amp;Recent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="230"/>
        <source>&amp;Export</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="235"/>
        <source>&amp;Edit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="244"/>
        <source>&amp;View</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="254"/>
        <source>&amp;Run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="259"/>
        <source>&amp;Help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="263"/>
        <source>Main</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="285"/>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="314"/>
        <source>%1: done</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="316"/>
        <source>%1: cancelled, nothing was applied</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="318"/>
        <source>%1 failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="323"/>
        <source>Cannot analyze the layer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="325"/>
        <source>Preview failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="358"/>
        <source>Opened %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="361"/>
        <source>Cannot open the model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="377"/>
        <source>Opened activations %1 (%2 layers matched)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="381"/>
        <source>Cannot open the activations</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="392"/>
        <source>demo model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="392"/>
        <source>planted activations</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="449"/>
        <source>&lt;b&gt;%1&lt;/b&gt; &amp;nbsp; %2 × %3 · block %4 · %5%6</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../app/gui/MainWindow.cpp" line="455"/>
        <source> · %n layers selected</source>
        <translation>
            <numerusform> · %n layer selected</numerusform>
            <numerusform> · %n layers selected</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="558"/>
        <source>Set %1 to %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../app/gui/MainWindow.cpp" line="559"/>
        <source>Set %n layers to %1</source>
        <translation>
            <numerusform>Set %n layer to %1</numerusform>
            <numerusform>Set %n layers to %1</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="666"/>
        <source>Quantize all layers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="686"/>
        <source>Quantize selected layers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="703"/>
        <source>The model or plan changed while the job ran: its results were not applied</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="716"/>
        <source>Export fake-quantized safetensors</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="727"/>
        <source>Exported %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="738"/>
        <source>Loaded plan %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="742"/>
        <source>Cannot load the plan</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="752"/>
        <source>Saved plan %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="756"/>
        <source>Cannot save the plan</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="765"/>
        <source>Unsaved plan</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="766"/>
        <source>The plan has unsaved changes. Save them first?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="780"/>
        <source>Open Model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="781"/>
        <source>Models (*.safetensors *.gguf *.bin *.json);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="791"/>
        <source>Open Activations</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="793"/>
        <source>Activation files (*.h5 *.hdf5);;llama.cpp imatrix (*.dat *.gguf);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="802"/>
        <source>Load Plan</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="803"/>
        <source>Plans (*.json);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="812"/>
        <source>Save Plan</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="812"/>
        <source>Plans (*.json)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="832"/>
        <source>Export Fake-quantized Safetensors</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="833"/>
        <source>Safetensors (*.safetensors)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="847"/>
        <source>About Salience</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="848"/>
        <source>&lt;h3&gt;Salience %1&lt;/h3&gt;&lt;p&gt;A workbench for looking inside a language model and quantizing it: massive activations, outlier channels and singular spectra, layer by layer, with a recipe per layer and a live preview.&lt;/p&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/MainWindow.cpp" line="868"/>
        <source>no model</source>
        <translation type="unfinished"></translation>
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
        <location filename="../app/gui/QuantizationTab.cpp" line="70"/>
        <source>Scales per group (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/QuantizationTab.cpp" line="81"/>
        <source>Relative weight error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/QuantizationTab.cpp" line="82"/>
        <source>Relative output error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/QuantizationTab.cpp" line="83"/>
        <source>— (no activations)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/QuantizationTab.cpp" line="84"/>
        <source>SQNR</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/QuantizationTab.cpp" line="84"/>
        <source>%1 dB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/QuantizationTab.cpp" line="85"/>
        <source>Bits per weight</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/QuantizationTab.cpp" line="93"/>
        <source>codes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/QuantizationTab.cpp" line="94"/>
        <source>scales</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/QuantizationTab.cpp" line="95"/>
        <source>zero points</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/QuantizationTab.cpp" line="96"/>
        <source>permutation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/QuantizationTab.cpp" line="97"/>
        <source>input scaling</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/QuantizationTab.cpp" line="98"/>
        <source>rotation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/QuantizationTab.cpp" line="99"/>
        <source>sparse weights</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/QuantizationTab.cpp" line="100"/>
        <source>low-rank factors</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/QuantizationTab.cpp" line="114"/>
        <source>|W|</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/QuantizationTab.cpp" line="117"/>
        <source>|Ŵ|</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/QuantizationTab.cpp" line="120"/>
        <source>W − Ŵ</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/QuantizationTab.cpp" line="132"/>
        <source>Select a layer to preview its recipe.</source>
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
        <location filename="../app/gui/SpectrumTab.cpp" line="37"/>
        <source>Singular values of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/SpectrumTab.cpp" line="39"/>
        <source>W: effective rank %1, stable rank %2, 90% of the energy in rank %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../app/gui/SpectrumTab.cpp" line="44"/>
        <source> · W·diag(s): effective rank %1, stable rank %2, 90% in rank %3</source>
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
        <location filename="../widgets/HeatmapView.cpp" line="89"/>
        <source>Column</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/HeatmapView.cpp" line="90"/>
        <source>Row</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/HeatmapView.cpp" line="93"/>
        <source>No data</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/HeatmapView.cpp" line="205"/>
        <source>row %1, column %2: |x| = %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/HeatmapView.cpp" line="206"/>
        <source>row %1, column %2: x = %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/HeatmapView.cpp" line="213"/>
        <source>rows %1–%2, columns %3–%4: max |x| = %5</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/HeatmapView.cpp" line="215"/>
        <source>rows %1–%2, columns %3–%4: largest-magnitude x = %5</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/HeatmapView.cpp" line="286"/>
        <source>value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/HeatmapView.cpp" line="286"/>
        <source>|value|</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/HeatmapView.cpp" line="296"/>
        <source>Hover over a cell to read its value. Wheel zooms, drag pans, double-click resets.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/HeatmapView.cpp" line="298"/>
        <source>Shown in blocks of %1 × %2 (largest |x| of each). %3</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>salience::widgets::HistogramPlot</name>
    <message>
        <location filename="../widgets/HistogramPlot.cpp" line="41"/>
        <source>No data</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/HistogramPlot.cpp" line="97"/>
        <location filename="../widgets/HistogramPlot.cpp" line="199"/>
        <source>Count (log scale)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/HistogramPlot.cpp" line="97"/>
        <location filename="../widgets/HistogramPlot.cpp" line="199"/>
        <source>Count</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/HistogramPlot.cpp" line="165"/>
        <source>bin %1: [%2, %3%4: %5 values</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/HistogramPlot.cpp" line="207"/>
        <source>%1 values in %2 bins of width %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/HistogramPlot.cpp" line="213"/>
        <source>NaN: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/HistogramPlot.cpp" line="215"/>
        <source>+Inf: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/HistogramPlot.cpp" line="217"/>
        <source>−Inf: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/HistogramPlot.cpp" line="219"/>
        <source>below range: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/HistogramPlot.cpp" line="221"/>
        <source>above range: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/HistogramPlot.cpp" line="223"/>
        <source>; not in any bin: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/HistogramPlot.cpp" line="225"/>
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
        <location filename="../widgets/OverviewPanel.cpp" line="88"/>
        <source>Layer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/OverviewPanel.cpp" line="88"/>
        <source>Block</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/OverviewPanel.cpp" line="88"/>
        <source>Role</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/OverviewPanel.cpp" line="88"/>
        <source>Method</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/OverviewPanel.cpp" line="88"/>
        <source>Bits</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/OverviewPanel.cpp" line="88"/>
        <source>Bits/w</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/OverviewPanel.cpp" line="89"/>
        <source>Rel. weight error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/OverviewPanel.cpp" line="89"/>
        <source>Rel. output error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/OverviewPanel.cpp" line="91"/>
        <source>Bits per weight, scales and zero points included</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/OverviewPanel.cpp" line="92"/>
        <source>‖W − Ŵ‖ / ‖W‖</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/OverviewPanel.cpp" line="94"/>
        <source>‖(W − Ŵ)·X‖ / ‖W·X‖ on the collected activations X</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/OverviewPanel.cpp" line="197"/>
        <source>Size: %1 → %2 · average %3 bits/weight · %4 of %5 layers quantized</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/OverviewPanel.cpp" line="213"/>
        <source>No quantization results yet: run a plan to see sizes and errors.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/OverviewPanel.cpp" line="214"/>
        <source>Perplexity: —</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/OverviewPanel.cpp" line="286"/>
        <source>Relative output error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/OverviewPanel.cpp" line="286"/>
        <source>Relative weight error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/OverviewPanel.cpp" line="327"/>
        <source>Block %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/OverviewPanel.cpp" line="358"/>
        <source>No results yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/OverviewPanel.cpp" line="358"/>
        <source>No layer is quantized</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/OverviewPanel.cpp" line="421"/>
        <source>kept at full precision</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/OverviewPanel.cpp" line="423"/>
        <source>%1 %2-bit · %3 bits/weight</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/OverviewPanel.cpp" line="424"/>
        <source>weight error %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/OverviewPanel.cpp" line="426"/>
        <source>output error %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>salience::widgets::ProfilePlot</name>
    <message>
        <location filename="../widgets/ProfilePlot.cpp" line="35"/>
        <source>Index</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/ProfilePlot.cpp" line="36"/>
        <source>Value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/ProfilePlot.cpp" line="38"/>
        <source>No data</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/ProfilePlot.cpp" line="189"/>
        <source>%1 = %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/ProfilePlot.cpp" line="190"/>
        <source>index %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/ProfilePlot.cpp" line="192"/>
        <source> (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/ProfilePlot.cpp" line="192"/>
        <source>marked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/ProfilePlot.cpp" line="240"/>
        <source>Hover to read the values. Wheel zooms, drag pans, double-click resets.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/ProfilePlot.cpp" line="297"/>
        <source>Marked</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>salience::widgets::RecipeEditor</name>
    <message>
        <location filename="../widgets/RecipeEditor.cpp" line="49"/>
        <source>Symmetric grid (zero point fixed at the middle)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/RecipeEditor.cpp" line="52"/>
        <source>Method parameters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/RecipeEditor.cpp" line="62"/>
        <source>%1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/RecipeEditor.cpp" line="67"/>
        <source>How the layer&apos;s weights are quantized. Help ▸ Method Glossary explains each method.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/RecipeEditor.cpp" line="72"/>
        <source> bits</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/RecipeEditor.cpp" line="73"/>
        <source>Bits per quantized weight: 2^bits grid points.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/RecipeEditor.cpp" line="75"/>
        <source>per channel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/RecipeEditor.cpp" line="76"/>
        <source>per tensor</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/RecipeEditor.cpp" line="79"/>
        <source>custom</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/RecipeEditor.cpp" line="80"/>
        <source>How many consecutive input columns share one scale (and zero point): a group of columns, a whole output channel, or the whole tensor.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/RecipeEditor.cpp" line="84"/>
        <source> columns</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/RecipeEditor.cpp" line="85"/>
        <source>Group size when “custom” is chosen.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/RecipeEditor.cpp" line="92"/>
        <source>Symmetric grids store only a scale; asymmetric ones also a zero point, which fits skewed weight ranges better.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/RecipeEditor.cpp" line="95"/>
        <source>Rank of the low-rank correction kept in full precision (0: none).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/RecipeEditor.cpp" line="99"/>
        <source> %</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/RecipeEditor.cpp" line="100"/>
        <source>Share of the most salient weights kept in full precision.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/RecipeEditor.cpp" line="105"/>
        <source>Method</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/RecipeEditor.cpp" line="107"/>
        <source>Bits</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/RecipeEditor.cpp" line="108"/>
        <source>Group size</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/RecipeEditor.cpp" line="110"/>
        <source>Rank budget</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/RecipeEditor.cpp" line="111"/>
        <source>Protect</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/RecipeEditor.cpp" line="147"/>
        <source>%1 (not registered)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/RecipeEditor.cpp" line="240"/>
        <source>This method has no parameters of its own.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/RecipeEditor.cpp" line="266"/>
        <source>%1
Range %2 … %3, default %4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/RecipeEditor.cpp" line="301"/>
        <source>This method is not registered in this version of Salience.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/RecipeEditor.cpp" line="304"/>
        <source>This method uses the layer&apos;s activations; the collected ones will be used.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/RecipeEditor.cpp" line="305"/>
        <source>⚠ This method needs the layer&apos;s activations. Collect activations first (or open the demo model, which brings its own).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/RecipeEditor.cpp" line="318"/>
        <source>No layer selected: select layers in the layer tree to edit their recipe.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/RecipeEditor.cpp" line="320"/>
        <source>Recipe of the selected layer</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../widgets/RecipeEditor.cpp" line="322"/>
        <source>%n layers selected — editing applies to all</source>
        <translation>
            <numerusform>%n layer selected — editing applies to all</numerusform>
            <numerusform>%n layers selected — editing applies to all</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../widgets/RecipeEditor.cpp" line="324"/>
        <source>Their recipes differ; the first one is shown.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>salience::widgets::SpectrumPlot</name>
    <message>
        <location filename="../widgets/SpectrumPlot.cpp" line="50"/>
        <source>Index i (singular values in decreasing order)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/SpectrumPlot.cpp" line="55"/>
        <source>Cumulative energy (fraction kept)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/SpectrumPlot.cpp" line="63"/>
        <source>σᵢ(W)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/SpectrumPlot.cpp" line="65"/>
        <source>energy of W</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/SpectrumPlot.cpp" line="64"/>
        <source>σᵢ(W·diag(s))</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/SpectrumPlot.cpp" line="66"/>
        <source>energy of W·diag(s)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/SpectrumPlot.cpp" line="95"/>
        <source>No data</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/SpectrumPlot.cpp" line="96"/>
        <source>Press or drag in the plot to move the rank budget k. The wheel zooms the index axis; double-click resets.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/SpectrumPlot.cpp" line="309"/>
        <source>σᵢ / σ₁ (log scale)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/SpectrumPlot.cpp" line="310"/>
        <source>Singular value σᵢ (log scale)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/SpectrumPlot.cpp" line="330"/>
        <source>k = %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/SpectrumPlot.cpp" line="348"/>
        <source>k = %1: %2% of W&apos;s energy, %3% of W·diag(s)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/SpectrumPlot.cpp" line="363"/>
        <source>W·diag(s)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/SpectrumPlot.cpp" line="354"/>
        <source>k = %1: %2% of W&apos;s energy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/SpectrumPlot.cpp" line="357"/>
        <source>%1: effective rank %2, stable rank %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/SpectrumPlot.cpp" line="361"/>
        <source>W</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../widgets/SpectrumPlot.cpp" line="364"/>
        <source>  ·  %1 singular values</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
