#include "run/StreamedRun.h"

#include "base/Error.h"
#include "base/ParallelFor.h"
#include "quant/MethodRegistry.h"

#include <algorithm>

namespace salience {

StreamedRun::StreamedRun(const Model& model, const QuantPlan& plan, const ActivationStore* activations,
                         const RunOptions& options, Progress& progress)
    : m_model(model), m_activations(activations), m_options(options), m_progress(progress)
{
    m_todo = planLayers(model, plan, options);
    m_results.resize(m_todo.size());
    for (size_t i = 0; i < m_todo.size(); ++i) {
        const LinearLayer& layer = *m_todo[i];
        const Recipe recipe = plan.recipeFor(layer);
        m_indexOf[layer.name] = i;
        const MethodInfo* info = findMethod(recipe.method);
        if (info && info->quantizes) {
            m_recipes[layer.name] = recipe;
            m_results[i].layer = layer.name;
            m_results[i].recipe = recipe;
        } else {
            Progress quiet = progress.silent();
            m_results[i] = runLayer(Matrix(), layer, recipe, nullptr, quiet); // kept: reads nothing
        }
    }
    setLookahead(0);
}

StreamedRun::~StreamedRun()
{
    stop();
}

void StreamedRun::setLookahead(int results)
{
    m_lookahead = results > 0 ? results : 2 * threadCountFor(m_options.threads, int64_t(m_todo.size()));
}

void StreamedRun::stop()
{
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_changed.notify_all();
    if (m_pool.joinable())
        m_pool.join();
}

void StreamedRun::expect(const std::vector<std::string>& order)
{
    if (m_pool.joinable() || !m_order.empty())
        throw Error("StreamedRun::expect called twice");
    for (const auto& name : order) {
        const LinearLayer* layer = m_model.findLayer(name);
        const auto it = layer ? m_indexOf.find(layer->name) : m_indexOf.end();
        if (it == m_indexOf.end() || !m_recipes.count(layer->name))
            throw Error("StreamedRun: the run does not quantize '" + name + "'");
        if (std::find(m_order.begin(), m_order.end(), it->second) != m_order.end())
            throw Error("StreamedRun: '" + name + "' expected twice");
        m_order.push_back(it->second);
    }
    m_ready.assign(m_order.size(), false);
    const int threads = threadCountFor(m_options.threads, int64_t(m_order.size()));
    m_pool = std::thread([this, threads] {
        try {
            parallelFor(int64_t(m_order.size()), threads, [this](int64_t i) {
                {
                    std::unique_lock lock(m_mutex);
                    m_changed.wait(lock, [&] {
                        return m_stopping || m_error || size_t(i) < m_taken + size_t(m_lookahead);
                    });
                    if (m_stopping || m_error)
                        return;
                }
                try {
                    m_progress.throwIfCancelled();
                    const size_t index = m_order[size_t(i)];
                    const LinearLayer& layer = *m_todo[index];
                    Progress quiet = m_progress.silent();
                    LayerResult r = runLayer(m_model, layer, m_recipes.at(layer.name), m_activations, quiet);
                    std::lock_guard lock(m_mutex);
                    m_results[index] = std::move(r);
                    m_ready[size_t(i)] = true;
                } catch (...) {
                    std::lock_guard lock(m_mutex);
                    if (!m_error)
                        m_error = std::current_exception();
                }
                m_changed.notify_all();
            });
        } catch (...) {
            std::lock_guard lock(m_mutex);
            if (!m_error)
                m_error = std::current_exception();
        }
        m_changed.notify_all();
    });
}

std::shared_ptr<const QuantizedLinear> StreamedRun::take(const std::string& layer)
{
    const LinearLayer* l = m_model.findLayer(layer);
    std::unique_lock lock(m_mutex);
    if (m_taken >= m_order.size() || !l || m_todo[m_order[m_taken]] != l)
        throw Error("StreamedRun: '" + layer + "' taken out of the expected order");
    const size_t slot = m_taken;
    m_changed.wait(lock, [&] { return m_ready[slot] || m_error; });
    if (m_error)
        std::rethrow_exception(m_error);
    LayerResult& r = m_results[m_order[slot]];
    auto result = std::make_shared<const QuantizedLinear>(std::move(*r.quantized));
    r.quantized.reset(); // the metrics stay; the codes leave with the writer
    r.resultDropped = true;
    ++m_taken;
    m_progress.report(double(m_taken) / double(m_order.size()), "quantized " + r.layer);
    lock.unlock();
    m_changed.notify_all();
    return result;
}

const RunResult& StreamedRun::completed()
{
    if (m_isComplete)
        return m_completed;
    {
        std::lock_guard lock(m_mutex);
        if (m_error)
            std::rethrow_exception(m_error);
        if (m_taken < m_order.size())
            throw Error("StreamedRun: " + std::to_string(m_order.size() - m_taken) + " layers not yet taken");
    }
    stop();
    // Layers the writer had no place for still count in the run, as runPlan counts them.
    for (size_t i = 0; i < m_todo.size(); ++i)
        if (m_recipes.count(m_todo[i]->name) && std::find(m_order.begin(), m_order.end(), i) == m_order.end()) {
            Progress quiet = m_progress.silent();
            m_results[i] = runLayer(m_model, *m_todo[i], m_recipes.at(m_todo[i]->name), m_activations, quiet);
            m_results[i].quantized.reset();
            m_results[i].resultDropped = true;
        }
    m_completed.layers = std::move(m_results);
    m_completed.summary = summarizeRun(m_model, m_todo, m_completed.layers);
    m_isComplete = true;
    return m_completed;
}

} // namespace salience
