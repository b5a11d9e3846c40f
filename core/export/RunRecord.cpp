#include "export/RunRecord.h"

#include "base/Error.h"
#include "io/JsonFile.h"
#include "io/AtomicFile.h"
#include "io/Hdf5.h"

#include <algorithm>

namespace salience {

namespace {

constexpr const char* kSchema = "salience-run/1";

// HDF5 wrappers have no 8-bit type; bytes (codes, keep masks) are written with the raw C API
// under the library lock, as the wrapper header asks.
void writeBytes(hdf5::Group& group, const char* name, const std::vector<uint8_t>& bytes, int64_t rows, int64_t cols)
{
    hdf5::LibraryLock lock;
    const hsize_t dims[2] = {hsize_t(rows), hsize_t(cols)};
    hdf5::Handle space(H5Screate_simple(2, dims, nullptr), H5Sclose);
    hdf5::Handle properties(H5Pcreate(H5P_DATASET_CREATE), H5Pclose);
    if (!space.valid() || !properties.valid() || H5Pset_obj_track_times(properties.id(), false) < 0)
        group.fail(std::string("cannot prepare the ") + name + " dataset");
    // Row chunks, deflated: codes use a few of the 8 bits and compress well.
    const hsize_t chunk[2] = {std::min<hsize_t>(dims[0], std::max<hsize_t>(1, (1u << 20) / dims[1])), dims[1]};
    if (H5Pset_chunk(properties.id(), 2, chunk) < 0 || H5Pset_deflate(properties.id(), 4) < 0)
        group.fail(std::string("cannot set the chunking of ") + name);
    hdf5::Handle dataset(H5Dcreate2(group.id(), name, H5T_STD_U8LE, space.id(), H5P_DEFAULT, properties.id(),
                                    H5P_DEFAULT),
                         H5Dclose);
    if (!dataset.valid())
        group.fail(std::string("cannot create the ") + name + " dataset");
    if (H5Dwrite(dataset.id(), H5T_NATIVE_UINT8, H5S_ALL, H5S_ALL, H5P_DEFAULT, bytes.data()) < 0)
        group.fail(std::string("cannot write the ") + name);
}

std::vector<uint8_t> readBytes(const hdf5::Group& g, const char* name, int64_t rows, int64_t cols)
{
    const hdf5::Dataset d = g.openDataset(name);
    const auto shape = d.shape();
    if (shape != std::vector<int64_t>{rows, cols} || d.type().name != "uint8")
        d.fail("must be a uint8 dataset of shape [" + std::to_string(rows) + ", " + std::to_string(cols) + "]");
    const auto wide = d.readInt32s();
    return {wide.begin(), wide.end()}; // uint8 on disk: every value fits
}

void writeFloats(hdf5::Group& g, const char* name, const float* data, std::vector<int64_t> shape)
{
    int64_t count = 1;
    for (int64_t n : shape)
        count *= n;
    hdf5::Dataset d = g.createDataset(name, hdf5::ElementType::Float32, shape);
    d.write(data, count);
}

std::vector<float> readFloats(const hdf5::Group& g, const char* name, const std::vector<int64_t>& shape)
{
    const hdf5::Dataset d = g.openDataset(name);
    if (d.shape() != shape)
        d.fail("has an unexpected shape");
    return d.readFloats();
}

Matrix readMatrix(const hdf5::Group& g, const char* name, int64_t rows, int64_t cols)
{
    const std::vector<float> values = readFloats(g, name, {rows, cols});
    return Eigen::Map<const Matrix>(values.data(), rows, cols);
}

// Every part of a QuantizedLinear beyond codes, scales, zero points and permutation, so that the
// record holds the layer's Ŵ exactly (the attribute "base" marks a layer recorded whole).
void writeParts(hdf5::Group& g, const QuantizedLinear& q)
{
    g.writeIntAttribute("base", int64_t(q.base));
    g.writeIntAttribute("grid_bits", q.grid.bits);
    g.writeIntAttribute("grid_symmetric", q.grid.symmetric ? 1 : 0);
    g.writeIntAttribute("grid_granularity", int64_t(q.grid.granularity));
    g.writeIntAttribute("grid_group_size", q.grid.groupSize);
    g.writeStringAttribute("result_method", q.method);
    g.writeStringAttribute("result_parameters", nlohmann::json(q.parameters).dump());
    const int64_t out = q.outFeatures, in = q.inFeatures;
    if (q.base == QuantBase::Dense)
        writeFloats(g, "dense", q.dense.data(), {out, in});
    if (q.hasCodebook())
        writeFloats(g, "codebook", q.codebook.data(), {out, int64_t(q.codebook.size()) / out});
    if (q.hasMask())
        writeBytes(g, "keep_mask", q.keepMask, out, in);
    if (!q.inputScale.empty())
        writeFloats(g, "input_scale", q.inputScale.data(), {in});
    if (q.rotation) {
        g.writeIntAttribute("rotation_block", q.rotation->blockSize);
        g.writeVector("rotation_signs", std::vector<int32_t>(q.rotation->signs.begin(), q.rotation->signs.end()));
    }
    if (!q.sparse.empty()) {
        std::vector<int64_t> rows, cols;
        std::vector<float> values;
        for (const SparseWeight& w : q.sparse) {
            rows.push_back(w.row);
            cols.push_back(w.col);
            values.push_back(w.value);
        }
        g.writeVector("sparse_rows", rows);
        g.writeVector("sparse_cols", cols);
        writeFloats(g, "sparse_values", values.data(), {int64_t(values.size())});
    }
    if (q.rank() > 0) {
        writeFloats(g, "lowrank_l", q.lowRankL.data(), {out, q.rank()});
        writeFloats(g, "lowrank_r", q.lowRankR.data(), {q.rank(), in});
    }
}

// The whole QuantizedLinear of a layer recorded with writeParts; checked as any result is.
QuantizedLinear readParts(const hdf5::Group& g, const RunRecordLayer& l)
{
    QuantGrid grid;
    grid.bits = int(g.readIntAttribute("grid_bits"));
    grid.symmetric = g.readIntAttribute("grid_symmetric") != 0;
    const int64_t granularity = g.readIntAttribute("grid_granularity");
    if (granularity < int64_t(Granularity::PerTensor) || granularity > int64_t(Granularity::PerGroup))
        g.fail("grid_granularity " + std::to_string(granularity) + " is not a granularity");
    grid.granularity = Granularity(granularity);
    grid.groupSize = int(g.readIntAttribute("grid_group_size"));
    const int64_t base = g.readIntAttribute("base");
    if (base < int64_t(QuantBase::Codes) || base > int64_t(QuantBase::Zero))
        g.fail("base " + std::to_string(base) + " is not a base");
    const int64_t out = l.outFeatures, in = l.inFeatures;
    QuantizedLinear q;
    q.outFeatures = out;
    q.inFeatures = in;
    q.grid = grid;
    q.base = QuantBase(base);
    q.method = g.readStringAttribute("result_method");
    try {
        const std::string parameters = g.readStringAttribute("result_parameters");
        try {
            checkJsonNesting(parameters, "result_parameters");
        } catch (const InputError& e) {
            g.fail("result_parameters: " + e.problem());
        }
        q.parameters = nlohmann::json::parse(parameters).get<std::map<std::string, double>>();
    } catch (const nlohmann::json::exception& e) {
        g.fail(std::string("result_parameters is not a JSON object of numbers: ") + e.what());
    }
    q.codes = l.codes;
    q.scales = l.scales;
    q.zeroPoints = l.zeroPoints;
    q.permutation = l.permutation;
    if (q.base == QuantBase::Dense)
        q.dense = readMatrix(g, "dense", out, in);
    if (g.hasLink("codebook"))
        q.codebook = readFloats(g, "codebook", {out, int64_t(1) << grid.bits});
    if (g.hasLink("keep_mask"))
        q.keepMask = readBytes(g, "keep_mask", out, in);
    if (g.hasLink("input_scale"))
        q.inputScale = readFloats(g, "input_scale", {in});
    if (g.hasLink("rotation_signs")) {
        HadamardRotation r;
        r.blockSize = g.readIntAttribute("rotation_block");
        for (int32_t s : g.openDataset("rotation_signs").readInt32s()) {
            if (s != 1 && s != -1)
                g.fail("rotation_signs holds a value other than +1 and -1");
            r.signs.push_back(int8_t(s));
        }
        q.rotation = std::move(r);
    }
    if (g.hasLink("sparse_rows")) {
        const auto rows = g.openDataset("sparse_rows").readInt64s();
        const auto cols = g.openDataset("sparse_cols").readInt64s();
        const auto values = g.openDataset("sparse_values").readFloats();
        if (rows.size() != cols.size() || rows.size() != values.size())
            g.fail("sparse_rows, sparse_cols and sparse_values differ in length");
        for (size_t i = 0; i < rows.size(); ++i)
            q.sparse.push_back({rows[i], cols[i], values[i]});
    }
    if (g.hasLink("lowrank_l")) {
        const auto shape = g.openDataset("lowrank_l").shape();
        if (shape.size() != 2)
            g.fail("lowrank_l is not a matrix");
        q.lowRankL = readMatrix(g, "lowrank_l", out, shape[1]);
        q.lowRankR = readMatrix(g, "lowrank_r", shape[1], in);
    }
    try {
        q.validate();
    } catch (const InputError& e) {
        g.fail(std::string("the recorded layer is not a valid result: ") + e.what());
    }
    return q;
}

void writeLayer(hdf5::Group& layers, const LayerResult& r, int64_t index, const LayerAnalysis* analysis,
                bool includeCodes)
{
    hdf5::Group g = layers.createGroup(r.layer);
    g.writeIntAttribute("index", index);
    g.writeStringAttribute("method", r.recipe.method);
    g.writeStringAttribute("recipe", r.recipe.summary());
    g.writeStringAttribute("recipe_json", r.recipe.toJson().dump());
    g.writeIntAttribute("quantized", r.quantized ? 1 : 0);
    g.writeIntAttribute("bits", r.recipe.bits);
    g.writeIntAttribute("group_size", r.recipe.groupSize);
    g.writeIntAttribute("symmetric", r.recipe.symmetric ? 1 : 0);
    g.writeDoubleAttribute("rel_weight_error", r.metrics.relativeWeightError);
    if (r.metrics.relativeOutputError)
        g.writeDoubleAttribute("rel_output_error", *r.metrics.relativeOutputError);
    g.writeDoubleAttribute("sqnr_db", r.metrics.sqnrDb);
    g.writeDoubleAttribute("bits_per_weight", r.metrics.bitsPerWeight);

    if (analysis) {
        if (!analysis->spectrum.singularValues.empty()) {
            g.writeVector("spectrum", analysis->spectrum.singularValues);
            g.writeDoubleAttribute("effective_rank", analysis->spectrum.effectiveRank);
            g.writeDoubleAttribute("stable_rank", analysis->spectrum.stableRank);
        }
        std::vector<int64_t> channels;
        std::string criterion;
        if (analysis->inputOutliers) {
            criterion = "channel";
            for (const auto& f : analysis->inputOutliers->outliers)
                channels.push_back(f.channel);
        } else if (analysis->inputStatsOutliers) {
            criterion = "stats";
            for (const auto& f : analysis->inputStatsOutliers->outliers)
                channels.push_back(f.channel);
        }
        if (!criterion.empty()) {
            g.writeStringAttribute("outlier_criterion", criterion);
            g.writeVector("outlier_channels", channels);
        }
    }

    if (includeCodes && r.quantized) {
        const QuantizedLinear& q = *r.quantized;
        q.validate();
        g.writeIntAttribute("out_features", q.outFeatures);
        g.writeIntAttribute("in_features", q.inFeatures);
        writeParts(g, q);
        if (q.base == QuantBase::Codes)
            writeBytes(g, "codes", q.codes, q.outFeatures, q.inFeatures);
        const std::vector<int64_t> tableShape{q.grid.scaleRows(q.outFeatures), q.grid.groupsPerRow(q.inFeatures)};
        hdf5::Dataset scales = g.createDataset("scales", hdf5::ElementType::Float32, tableShape);
        scales.write(q.scales.data(), int64_t(q.scales.size()));
        hdf5::Dataset zeros = g.createDataset("zero_points", hdf5::ElementType::Int32, tableShape);
        zeros.write(q.zeroPoints.data(), int64_t(q.zeroPoints.size()));
        if (!q.permutation.empty())
            g.writeVector("permutation", q.permutation);
    }
}

} // namespace

void writeRunRecord(const std::string& path, const RunRecordInput& input, const RunRecordOptions& options,
                    Progress& progress)
{
    if (!input.run)
        throw InputError("run record", "there is no run to record");
    const RunResult& run = *input.run;
    AtomicFile target(path, options.overwrite);
    {
        // HDF5 writes the temporary file itself; AtomicFile only renames it into place.
        hdf5::File file = hdf5::File::create(target.tempPath(), /*exclusive=*/false);
        hdf5::Group root = file.root();
        root.writeStringAttribute("schema", kSchema);
        root.writeStringAttribute("model", input.model);
        root.writeStringAttribute("plan", input.plan.is_null() ? std::string() : input.plan.dump());
        root.writeIntAttribute("layers_quantized", run.summary.layersQuantized);
        root.writeDoubleAttribute("average_bits_per_weight", run.summary.averageBitsPerWeight);
        root.writeDoubleAttribute("original_bits", run.summary.originalBits);
        root.writeDoubleAttribute("quantized_bits", run.summary.quantizedBits);
        hdf5::Group layers = root.createGroup("layers");
        for (size_t i = 0; i < run.layers.size(); ++i) {
            progress.throwIfCancelled();
            const LayerResult& r = run.layers[i];
            const auto it = input.analyses.find(r.layer);
            writeLayer(layers, r, int64_t(i), it == input.analyses.end() ? nullptr : &it->second,
                       options.includeCodes);
            progress.report(0.95 * double(i + 1) / double(run.layers.size()), "recording " + r.layer);
        }
        progress.throwIfCancelled();
        file.close();
    }
    target.commit();
    progress.report(1.0, "saved " + path);
}

const RunRecordLayer* RunRecord::find(const std::string& name) const
{
    for (const auto& l : layers)
        if (l.name == name)
            return &l;
    return nullptr;
}

RunRecord readRunRecord(const std::string& path)
{
    const hdf5::File file = hdf5::File::openReadOnly(path);
    const hdf5::Group root = file.root();
    RunRecord record;
    if (!root.hasAttribute("schema") || root.readStringAttribute("schema") != kSchema)
        throw InputError(path, std::string("not a Salience run record (schema ") + kSchema + " expected)");
    record.schema = root.readStringAttribute("schema");
    record.model = root.readStringAttribute("model");
    const std::string plan = root.readStringAttribute("plan");
    if (!plan.empty()) {
        checkJsonNesting(plan, path + " /plan");
        try {
            record.plan = nlohmann::json::parse(plan);
        } catch (const nlohmann::json::exception& e) {
            throw InputError(path, std::string("/plan is not valid JSON: ") + e.what());
        }
    }
    record.summary.layersQuantized = root.readIntAttribute("layers_quantized");
    record.summary.averageBitsPerWeight = root.readDoubleAttribute("average_bits_per_weight");
    record.summary.originalBits = root.readDoubleAttribute("original_bits");
    record.summary.quantizedBits = root.readDoubleAttribute("quantized_bits");

    const hdf5::Group layers = root.openGroup("layers");
    for (const auto& link : layers.links()) {
        if (link.kind != hdf5::LinkKind::Group)
            continue;
        const hdf5::Group g = layers.openGroup(link.name);
        RunRecordLayer l;
        l.name = link.name;
        l.index = g.readIntAttribute("index");
        l.method = g.readStringAttribute("method");
        l.recipe = g.readStringAttribute("recipe");
        const std::string recipeJson = g.readStringAttribute("recipe_json");
        checkJsonNesting(recipeJson, path + " /layers/" + link.name + "/recipe_json");
        try {
            l.recipeJson = nlohmann::json::parse(recipeJson);
        } catch (const nlohmann::json::exception& e) {
            g.fail(std::string("recipe_json is not valid JSON: ") + e.what());
        }
        l.quantized = g.readIntAttribute("quantized") != 0;
        l.bits = int(g.readIntAttribute("bits"));
        l.groupSize = int(g.readIntAttribute("group_size"));
        l.symmetric = g.readIntAttribute("symmetric") != 0;
        l.relativeWeightError = g.readDoubleAttribute("rel_weight_error");
        if (g.hasAttribute("rel_output_error"))
            l.relativeOutputError = g.readDoubleAttribute("rel_output_error");
        l.sqnrDb = g.readDoubleAttribute("sqnr_db");
        l.bitsPerWeight = g.readDoubleAttribute("bits_per_weight");
        if (g.hasLink("spectrum")) {
            l.singularValues = g.openDataset("spectrum").readDoubles();
            l.effectiveRank = g.readDoubleAttribute("effective_rank");
            l.stableRank = g.readDoubleAttribute("stable_rank");
        }
        if (g.hasLink("outlier_channels")) {
            l.outlierChannels = g.openDataset("outlier_channels").readInt64s();
            l.outlierCriterion = g.readStringAttribute("outlier_criterion");
        }
        if (g.hasAttribute("out_features")) {
            l.outFeatures = g.readIntAttribute("out_features");
            l.inFeatures = g.readIntAttribute("in_features");
            if (l.outFeatures < 1 || l.inFeatures < 1 || l.outFeatures > (int64_t(1) << 31) ||
                l.inFeatures > (int64_t(1) << 31))
                g.fail("out_features and in_features must be positive sizes");
        }
        if (g.hasLink("codes")) {
            const hdf5::Dataset codes = g.openDataset("codes");
            const auto shape = codes.shape();
            if (shape.size() != 2 || codes.type().name != "uint8")
                codes.fail("codes must be a 2-D uint8 dataset");
            l.outFeatures = shape[0];
            l.inFeatures = shape[1];
            l.codes = readBytes(g, "codes", shape[0], shape[1]);
            const hdf5::Dataset scales = g.openDataset("scales");
            l.scaleShape = scales.shape();
            l.scales = scales.readFloats();
            l.zeroPoints = g.openDataset("zero_points").readInt32s();
            if (l.zeroPoints.size() != l.scales.size())
                g.fail("zero_points and scales differ in size");
            if (g.hasLink("permutation"))
                l.permutation = g.openDataset("permutation").readInt32s();
        }
        if (g.hasAttribute("base"))
            l.result = readParts(g, l);
        record.layers.push_back(std::move(l));
    }
    std::stable_sort(record.layers.begin(), record.layers.end(),
                     [](const RunRecordLayer& a, const RunRecordLayer& b) { return a.index < b.index; });
    return record;
}

RunResult runResultOf(const RunRecord& record, const std::string& source)
{
    RunResult run;
    run.summary = record.summary;
    for (const RunRecordLayer& l : record.layers) {
        LayerResult r;
        r.layer = l.name;
        r.recipe = Recipe::fromJson(l.recipeJson, source + ": layer " + l.name);
        r.quantized = l.result;
        r.metrics.relativeWeightError = l.relativeWeightError;
        r.metrics.relativeOutputError = l.relativeOutputError;
        r.metrics.sqnrDb = l.sqnrDb;
        r.metrics.bitsPerWeight = l.bitsPerWeight;
        run.layers.push_back(std::move(r));
    }
    return run;
}

} // namespace salience
