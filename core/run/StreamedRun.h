#pragma once
// A plan run while an exporter writes it: the layers are quantized on a pool of threads in the
// order the writer asked for (expect()), at most `lookahead` results ahead of it, and each result
// is dropped once the writer has taken and written it. Peak memory is the lookahead's results
// plus one layer per thread, whatever the number of layers; the results and totals equal
// runPlan's (each layer is computed exactly as runPlan computes it).
//
// Errors: the first layer's error (or a cancel) stops the pool and is rethrown by the next
// take(). Destroying the stream early (the writer failed) cancels the layers still running and
// waits for them.
#include "acts/ActivationStore.h"
#include "base/Progress.h"
#include "model/Model.h"
#include "plan/QuantPlan.h"
#include "run/LayerResultSource.h"
#include "run/Runner.h"

#include <condition_variable>
#include <exception>
#include <map>
#include <mutex>
#include <thread>

namespace salience {

class StreamedRun : public LayerResultSource {
public:
    // Checks the plan against the model (InputError, as runPlan) and reads every recipe; nothing
    // is computed before expect(). `progress` receives the fraction of layers quantized.
    StreamedRun(const Model& model, const QuantPlan& plan, const ActivationStore* activations,
                const RunOptions& options, Progress& progress);
    ~StreamedRun() override;
    StreamedRun(const StreamedRun&) = delete;
    StreamedRun& operator=(const StreamedRun&) = delete;

    // Results held ahead of the writer at most (default: two per thread).
    void setLookahead(int results);

    const std::map<std::string, Recipe>& quantizedRecipes() const override { return m_recipes; }
    // Throws Error when called twice or naming a layer the run does not quantize.
    void expect(const std::vector<std::string>& order) override;
    // Throws Error when `layer` is not the next one expected.
    std::shared_ptr<const QuantizedLinear> take(const std::string& layer) override;
    // Throws Error while expected layers remain untaken.
    const RunResult& completed() override;

private:
    void stop();

    const Model& m_model;
    const ActivationStore* m_activations;
    RunOptions m_options;
    Progress m_progress;
    std::vector<const LinearLayer*> m_todo;       // runPlan's layers, in model order
    std::vector<LayerResult> m_results;           // per m_todo entry; metrics only once taken
    std::map<std::string, size_t> m_indexOf;      // canonical name → m_todo index
    std::map<std::string, Recipe> m_recipes;      // the layers that get a result
    std::vector<size_t> m_order;                  // m_todo indices, in the writer's order
    int m_lookahead = 0;

    std::mutex m_mutex;
    std::condition_variable m_changed;
    size_t m_taken = 0;                           // m_order entries handed to the writer
    std::vector<bool> m_ready;                    // per m_order entry
    std::exception_ptr m_error;
    bool m_stopping = false;
    std::thread m_pool;
    RunResult m_completed;
    bool m_isComplete = false;
};

} // namespace salience
