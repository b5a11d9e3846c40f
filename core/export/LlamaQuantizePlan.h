#pragma once
// llama-quantize's mixes as plans: every linear layer the mix quantizes is rounded onto the ggml
// type the mix gives it, by one method, so `--method gptq --preset Q4_K_M` is GPTQ onto Q4_K for
// most layers and onto Q6_K for the attn_v / ffn_down upgrades and the classifier, and the GGUF
// written from the run has llama-quantize's tensor types at llama-quantize's file size.
//
// The plan is an ordinary QuantPlan, editable and saved like any other:
//   - default: the base recipe with grid_type = the mix's base type (Q4_K for Q4_K_M);
//   - one exact-layer override {"layer": NAME, "set": {"grid_type": T}} for each layer the mix
//     gives another type (the upgrades), and always one for the classifier (a plan leaves the
//     classifier alone unless an override names it; llama-quantize quantizes it);
//   - a layer the mix keeps in a float type (F16, BF16, F32: the float presets, or an
//     --output-tensor-type F16) gets {"method": "none"}: it keeps its source's precision.
// Types are the mix's requested ones; rows that are not whole blocks fall back when the method
// quantizes, exactly as llama-quantize's tensor_type_fallback (quant/GgmlQuantize.h).
// The embedding is never in a plan (the forward pass reads it as a lookup): the GGUF export gives
// it the preset's type, as it does every tensor whose recipe is `none` (export/ExportRun.h).
#include "export/LlamaQuantizeMix.h"
#include "model/Model.h"
#include "plan/QuantPlan.h"
#include "quant/Recipe.h"

namespace salience {

// Throws InputError("--preset NAME", ...) when the base recipe's method cannot quantize onto ggml
// block formats (every method with a grid can, Recipe::validate; `none` gives a plan that
// quantizes nothing), or when the plan does not validate against `model`.
QuantPlan llamaQuantizeMixPlan(const Model& model, const LlamaQuantizeMix& mix, const Recipe& base);

} // namespace salience
