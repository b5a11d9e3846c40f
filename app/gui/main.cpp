// salience: the workbench GUI. With no arguments it opens the last model (or the built-in
// demo); `salience MODEL [--acts FILE]` opens those; `--capture TEXT`, `--quantize-all`,
// `--evaluate TEXT`, `--compare TEXT` and `--sensitivity TEXT` run those jobs in that order;
// `--screenshot FILE` renders the window offscreen after all that and exits.
#include "MainWindow.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QFileInfo>
#include <QLibraryInfo>
#include <QLocale>
#include <QTimer>
#include <QTranslator>

#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace {

bool wantsScreenshot(int argc, char** argv)
{
    for (int i = 1; i < argc; ++i)
        if (std::strcmp(argv[i], "--screenshot") == 0 || std::strncmp(argv[i], "--screenshot=", 13) == 0)
            return true;
    return false;
}

bool wantsTextOnly(int argc, char** argv)
{
    for (int i = 1; i < argc; ++i)
        for (const char* flag : {"--help", "-h", "--version", "-v", "--help-all"})
            if (std::strcmp(argv[i], flag) == 0)
                return true;
    return false;
}

bool hasDisplay()
{
    return std::getenv("DISPLAY") || std::getenv("WAYLAND_DISPLAY") || std::getenv("QT_QPA_PLATFORM");
}

void installTranslations(QApplication& app, const QString& language)
{
    const QLocale locale = language.isEmpty() ? QLocale::system() : QLocale(language);
    auto* own = new QTranslator(&app);
    if (own->load(locale, "salience", "_", ":/i18n"))
        app.installTranslator(own);
    auto* qt = new QTranslator(&app);
    if (qt->load(locale, "qtbase", "_", QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        app.installTranslator(qt);
    QLocale::setDefault(locale);
}

} // namespace

int main(int argc, char** argv)
{
    // A screenshot needs no display; anything else does, and says so instead of aborting.
    // --version and --help print text only: they must work without a reachable display too.
    if ((wantsScreenshot(argc, argv) || wantsTextOnly(argc, argv)) && !std::getenv("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    else if (!hasDisplay() && !wantsTextOnly(argc, argv)) {
        std::fprintf(stderr,
                     "salience: no display found (DISPLAY and WAYLAND_DISPLAY are not set).\n"
                     "Run it in a desktop session, over ssh -X, or under xvfb-run; or render the window to a\n"
                     "picture with: salience --screenshot window.png\n");
        return 1;
    }

    QApplication app(argc, argv);
    QApplication::setApplicationName("Salience");
    QApplication::setOrganizationName("Salience");
    QApplication::setApplicationVersion(SALIENCE_VERSION);
    QApplication::setWindowIcon(QIcon(":/salience/icons/salience.svg"));

    QCommandLineParser parser;
    parser.setApplicationDescription(QApplication::translate("main", "Look inside a language model and quantize it."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument("MODEL", QApplication::translate("main", "A .safetensors, .gguf or llama2.c .bin file, "
                                                                          "or a Hugging Face directory."));
    QCommandLineOption acts("acts", QApplication::translate("main", "Activation file (HDF5) to open with the model."),
                            "FILE");
    QCommandLineOption screenshot("screenshot",
                                  QApplication::translate("main", "Render the window to FILE (PNG) after loading, then exit."),
                                  "FILE");
    QCommandLineOption tab("tab", QApplication::translate("main", "Tab to show: weights, activations, spectrum, quantization."),
                           "TAB", "weights");
    QCommandLineOption layer("layer", QApplication::translate("main", "Layer to select after loading."), "NAME");
    QCommandLineOption lang("lang", QApplication::translate("main", "Language, e.g. zh_CN or en (default: the system's)."),
                            "LANG");
    QCommandLineOption size("size", QApplication::translate("main", "Window size for --screenshot, WIDTHxHEIGHT."), "SIZE",
                            "1600x1000");
    QCommandLineOption quantizeAll("quantize-all",
                                   QApplication::translate("main", "Run Quantize All after loading (with --screenshot: before the picture)."));
    QCommandLineOption capture("capture", QApplication::translate("main", "Capture activations on the text FILE after "
                                                                          "loading (with --screenshot: before the picture)."),
                               "FILE");
    QCommandLineOption evaluate("evaluate",
                                QApplication::translate("main", "Evaluate the perplexity of the float and the quantized "
                                                                "model on the text FILE after loading."),
                                "FILE");
    QCommandLineOption sensitivity("sensitivity",
                                   QApplication::translate("main", "Run Analyze ▸ Sensitivity on the text FILE after "
                                                                   "loading and show its view."),
                                   "FILE");
    QCommandLineOption compare("compare",
                               QApplication::translate("main", "Run Analyze ▸ Compare Methods at Equal Budget with "
                                                               "perplexity on the text FILE and show its view."),
                               "FILE");
    QCommandLineOption targetBits("target-bits",
                                  QApplication::translate("main", "Bits per weight for --sensitivity and --compare."),
                                  "BITS", "4");
    QCommandLineOption candidates("candidates",
                                  QApplication::translate("main", "Candidates for --sensitivity, e.g. 3g128,3g32,4g128,4g32."),
                                  "LIST");
    QCommandLineOption methods("methods", QApplication::translate("main", "Methods for --compare, e.g. rtn,awq,gptq."),
                               "LIST", "rtn,awq,gptq");
    parser.addOptions({acts, screenshot, tab, layer, lang, size, quantizeAll, capture, evaluate, sensitivity, compare,
                       targetBits, candidates, methods});
    parser.process(app);

    installTranslations(app, parser.value(lang));

    salience::gui::MainWindow window;
    const QStringList args = parser.positionalArguments();
    const bool shooting = parser.isSet(screenshot);
    if (!args.isEmpty()) {
        if (!window.openModel(args.front(), parser.value(acts)) && shooting) {
            std::fprintf(stderr, "salience: %s\n", qPrintable(window.lastError()));
            return 2;
        }
    } else if (shooting) {
        window.openDemo(); // screenshots must not depend on the last session
    } else {
        window.openStartupModel();
    }
    if (parser.isSet(layer))
        window.selectLayer(parser.value(layer));
    // Each job waits for the one before: one job runs at a time.
    if (parser.isSet(capture)) {
        window.waitUntilIdle(60000);
        salience::gui::CaptureSettings settings;
        settings.textPath = parser.value(capture);
        window.captureActivations(settings);
    }
    if (parser.isSet(quantizeAll)) {
        window.waitUntilIdle(600000);
        window.quantizeAll();
    }
    if (parser.isSet(evaluate)) {
        window.waitUntilIdle(600000);
        window.evaluatePerplexity(parser.value(evaluate));
    }

    if (parser.isSet(compare)) {
        window.waitUntilIdle(600000);
        salience::gui::ComparisonSettings settings;
        settings.methods = parser.value(methods).split(',', Qt::SkipEmptyParts);
        settings.targetBits = parser.value(targetBits).toDouble();
        settings.textPath = parser.value(compare);
        window.comparisonView()->setSettings(settings);
        window.showComparisonView();
        window.runComparison(settings);
    }
    if (parser.isSet(sensitivity)) {
        window.waitUntilIdle(600000);
        salience::gui::SensitivitySettings settings;
        settings.textPath = parser.value(sensitivity);
        settings.candidates = parser.value(candidates);
        settings.targetBits = parser.value(targetBits).toDouble();
        window.sensitivityView()->setSettings(settings);
        window.showSensitivityView();
        window.runSensitivity(settings);
    }

    const QString tabName = parser.value(tab).toLower();
    const QStringList tabs{"weights", "activations", "spectrum", "quantization"};
    if (!tabs.contains(tabName)) {
        std::fprintf(stderr, "salience: unknown tab '%s' (weights, activations, spectrum, quantization)\n",
                     qPrintable(tabName));
        return 1;
    }
    window.showTab(salience::gui::MainWindow::Tab(tabs.indexOf(tabName)));

    if (shooting) {
        const QStringList wh = parser.value(size).split('x');
        window.resize(wh.value(0).toInt() > 0 ? wh.value(0).toInt() : 1600, wh.value(1).toInt() > 0 ? wh.value(1).toInt() : 1000);
        window.show();
        // A dock is raised to the front of its tabs only in a window on screen and laid out.
        QApplication::processEvents();
        if (parser.isSet(sensitivity))
            window.showSensitivityView();
        else if (parser.isSet(compare))
            window.showComparisonView();
        window.waitUntilIdle(600000);
        if (!window.lastError().isEmpty() &&
            (parser.isSet(capture) || parser.isSet(evaluate) || parser.isSet(sensitivity) || parser.isSet(compare)))
            std::fprintf(stderr, "salience: %s\n", qPrintable(window.lastError()));
        const QString file = parser.value(screenshot);
        if (!window.renderToImage().save(file)) {
            std::fprintf(stderr, "salience: cannot write %s\n", qPrintable(file));
            return 2;
        }
        std::printf("wrote %s\n", qPrintable(QFileInfo(file).absoluteFilePath()));
        return 0;
    }
    window.show();
    return app.exec();
}
