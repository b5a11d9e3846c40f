#include "export/RunRecord.h"

#include "base/Error.h"
#include "io/AtomicFile.h"
#include "io/Hdf5.h"

#include <algorithm>

namespace salience {

namespace {

constexpr const char* kSchema = "salience-run/1";

// HDF5 wrappers have no 8-bit type; codes are written with the raw C API under the library
// lock, as the wrapper header asks.
void writeCodes(hdf5::Group& group, const QuantizedLinear& q)
{
    hdf5::LibraryLock lock;
    const hsize_t dims[2] = {hsize_t(q.outFeatures), hsize_t(q.inFeatures)};
    hdf5::Handle space(H5Screate_simple(2, dims, nullptr), H5Sclose);
    hdf5::Handle properties(H5Pcreate(H5P_DATASET_CREATE), H5Pclose);
    if (!space.valid() || !properties.valid())
        group.fail("cannot prepare the codes dataset");
    // Row chunks, deflated: codes use a few of the 8 bits and compress well.
    const hsize_t chunk[2] = {std::min<hsize_t>(dims[0], std::max<hsize_t>(1, (1u << 20) / dims[1])), dims[1]};
    if (H5Pset_chunk(properties.id(), 2, chunk) < 0 || H5Pset_deflate(properties.id(), 4) < 0)
        group.fail("cannot set the chunking of codes");
    hdf5::Handle dataset(H5Dcreate2(group.id(), "codes", H5T_STD_U8LE, space.id(), H5P_DEFAULT, properties.id(),
                                    H5P_DEFAULT),
                         H5Dclose);
    if (!dataset.valid())
        group.fail("cannot create the codes dataset");
    if (H5Dwrite(dataset.id(), H5T_NATIVE_UINT8, H5S_ALL, H5S_ALL, H5P_DEFAULT, q.codes.data()) < 0)
        group.fail("cannot write the codes");
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
        writeCodes(g, q);
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
        try {
            l.recipeJson = nlohmann::json::parse(g.readStringAttribute("recipe_json"));
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
        if (g.hasLink("codes")) {
            const hdf5::Dataset codes = g.openDataset("codes");
            const auto shape = codes.shape();
            if (shape.size() != 2 || codes.type().name != "uint8")
                codes.fail("codes must be a 2-D uint8 dataset");
            l.outFeatures = shape[0];
            l.inFeatures = shape[1];
            const auto wide = codes.readInt32s();
            l.codes.assign(wide.begin(), wide.end()); // uint8 on disk: every value fits
            const hdf5::Dataset scales = g.openDataset("scales");
            l.scaleShape = scales.shape();
            l.scales = scales.readFloats();
            l.zeroPoints = g.openDataset("zero_points").readInt32s();
            if (l.zeroPoints.size() != l.scales.size())
                g.fail("zero_points and scales differ in size");
            if (g.hasLink("permutation"))
                l.permutation = g.openDataset("permutation").readInt32s();
        }
        record.layers.push_back(std::move(l));
    }
    std::stable_sort(record.layers.begin(), record.layers.end(),
                     [](const RunRecordLayer& a, const RunRecordLayer& b) { return a.index < b.index; });
    return record;
}

} // namespace salience
