// Knowledge distillation: the losses against ../shared/fixtures/kd_loss_cases.json and tests/data/kd/cases.json
// (TRL's generalised JSD, ensembles of teachers with padded vocabularies, feature alignment; made by
// tests/data/kd/make_cases.py), the chunked fused loss against the unchunked one (loss and gradients), τ/α
// schedules, and the teacher top-k cache.
#include "checkpoint/Safetensors.h"
#include "common/Error.h"
#include "kd/FeatureAlign.h"
#include "kd/KdLoss.h"
#include "kd/Schedule.h"
#include "kd/TeacherCache.h"

#include "Fixtures.h"
#include "TestUtil.h"

#include <torch/torch.h>

#include <QtCore/QDir>
#include <QtCore/QFile>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QTemporaryDir>
#include <QtTest/QTest>

#include <cmath>
#include <functional>

using namespace distillery;

Q_DECLARE_METATYPE(Divergence)
Q_DECLARE_METATYPE(FeatureLoss)
Q_DECLARE_METATYPE(std::function<void()>)

namespace {

// ‖a − b‖ / ‖b‖ in double.
double relErr(const torch::Tensor& a, const torch::Tensor& b) {
  const torch::Tensor x = a.to(torch::kFloat64), y = b.to(torch::kFloat64);
  const double ny = y.norm().item<double>();
  return (x - y).norm().item<double>() / (ny > 0 ? ny : 1.0);
}

double relErr(double a, double b) { return std::abs(a - b) / std::max(std::abs(b), 1e-300); }

QJsonObject readJson(const QString& path) {
  QFile f(path);
  if (!f.open(QIODevice::ReadOnly)) qFatal("cannot open %s", qPrintable(path));
  return QJsonDocument::fromJson(f.readAll()).object();
}

const QJsonObject& cases() {
  static const QJsonObject c = readJson(testDataDir() + QStringLiteral("/kd/cases.json"));
  return c;
}

const QJsonArray& fixtureList() {
  static const QJsonArray c =
      readJson(fixture(QStringLiteral("kd_loss_cases.json")))[QStringLiteral("cases")].toArray();
  return c;
}

// Nested JSON arrays of numbers → float64 tensor of that shape.
torch::Tensor tensorOf(const QJsonValue& v) {
  std::vector<double> flat;
  std::vector<int64_t> shape;
  std::function<void(const QJsonValue&, size_t)> walk = [&](const QJsonValue& x, size_t depth) {
    if (x.isArray()) {
      const QJsonArray a = x.toArray();
      if (shape.size() == depth) shape.push_back(a.size());
      for (const QJsonValue& e : a) walk(e, depth + 1);
    } else {
      flat.push_back(x.toDouble());
    }
  };
  walk(v, 0);
  return torch::tensor(flat, torch::kFloat64).reshape(shape);
}

torch::Tensor labelsOf(const QJsonValue& v) { return tensorOf(v).to(torch::kInt64); }

// Logits as "hidden states" through an identity projection: chunkedKdLoss on them equals kdLoss on the logits.
TeacherTargets identityTeacher(const torch::Tensor& logits, double mix = 1) {
  TeacherTargets t;
  t.hidden = logits;
  t.weight = torch::eye(logits.size(1), logits.options());
  t.mix = mix;
  return t;
}

KdLossOptions options(Divergence d, double tau, double alpha, double beta = 0.5, int64_t chunk = 1024) {
  KdLossOptions o;
  o.divergence = d;
  o.temperature = tau;
  o.alpha = alpha;
  o.jsdBeta = beta;
  o.chunkTokens = chunk;
  return o;
}

}  // namespace

class TestKd : public QObject {
  Q_OBJECT

 private Q_SLOTS:
  void initTestCase() { torch::manual_seed(0); }

  // --- the fixture cases: CE, T²·KL both ways, the combined loss --------------------------------------------
  void fixtureCases_data() {
    QTest::addColumn<int>("index");
    QTest::addColumn<bool>("chunked");
    for (int i = 0; i < fixtureList().size(); ++i) {
      QTest::addRow("case %d reference", i) << i << false;
      QTest::addRow("case %d chunked", i) << i << true;
    }
  }
  void fixtureCases() {
    QFETCH(int, index);
    QFETCH(bool, chunked);
    const QJsonObject c = fixtureList()[index].toObject();
    const torch::Tensor s = tensorOf(c[QStringLiteral("student")]), t = tensorOf(c[QStringLiteral("teacher")]);
    const torch::Tensor y = labelsOf(c[QStringLiteral("labels")]);
    const double tau = c[QStringLiteral("T")].toDouble(), alpha = c[QStringLiteral("alpha")].toDouble();
    auto run = [&](Divergence d) {
      const KdLossOptions o = options(d, tau, alpha, 0.5, 4);
      return chunked ? chunkedKdLoss(s, torch::eye(s.size(1), s.options()), {identityTeacher(t)}, y, o)
                     : kdLoss(s, t, y, o);
    };
    // The fixture holds float32 results of float32 inputs; we compute in float64 from the same numbers.
    const double tol = 1e-5;
    const KdLossResult fwd = run(Divergence::ForwardKl), rev = run(Divergence::ReverseKl);
    QCOMPARE(fwd.tokens, int64_t(6));
    const double ce = c[QStringLiteral("ce")].toDouble();
    const double kf = c[QStringLiteral("kl_forward_scaled")].toDouble();
    const double kr = c[QStringLiteral("kl_reverse_scaled")].toDouble();
    const double loss = c[QStringLiteral("loss")].toDouble();
    QVERIFY2(relErr(fwd.ce, ce) < tol, qPrintable(QStringLiteral("ce %1 vs %2").arg(fwd.ce).arg(ce)));
    QVERIFY2(relErr(fwd.kd, kf) < tol, qPrintable(QStringLiteral("fwd %1 vs %2").arg(fwd.kd).arg(kf)));
    QVERIFY2(relErr(rev.kd, kr) < tol, qPrintable(QStringLiteral("rev %1 vs %2").arg(rev.kd).arg(kr)));
    const double total = fwd.total.item<double>();
    QVERIFY2(relErr(total, loss) < tol, qPrintable(QStringLiteral("loss %1 vs %2").arg(total).arg(loss)));
    const double revTotal = rev.total.item<double>();
    QVERIFY(relErr(revTotal, alpha * ce + (1 - alpha) * kr) < tol);
  }

  // --- JSD(β) against TRL's generalized_jsd_loss on the fixture's logits, edge cases β = 0 and 1 included ---
  void jsdMatchesTrl_data() {
    QTest::addColumn<int>("index");
    QTest::addColumn<QString>("beta");
    QTest::addColumn<bool>("chunked");
    for (int i = 0; i < fixtureList().size(); ++i)
      for (const char* b : {"0.0", "0.1", "0.5", "0.9", "1.0"})
        for (bool chunked : {false, true})
          QTest::addRow("case %d beta %s%s", i, b, chunked ? " chunked" : "") << i << QString::fromLatin1(b) << chunked;
  }
  void jsdMatchesTrl() {
    QFETCH(int, index);
    QFETCH(QString, beta);
    QFETCH(bool, chunked);
    const QJsonObject c = fixtureList()[index].toObject();
    const torch::Tensor s = tensorOf(c[QStringLiteral("student")]), t = tensorOf(c[QStringLiteral("teacher")]);
    const torch::Tensor y = labelsOf(c[QStringLiteral("labels")]);
    const double tau = c[QStringLiteral("T")].toDouble();
    const KdLossOptions o = options(Divergence::Jsd, tau, 0.0, beta.toDouble(), 5);
    const KdLossResult r =
        chunked ? chunkedKdLoss(s, torch::eye(s.size(1), s.options()), {identityTeacher(t)}, y, o) : kdLoss(s, t, y, o);
    const double trl =
        cases()[QStringLiteral("jsd")].toArray()[index].toObject()[QStringLiteral("beta")].toObject()[beta].toDouble();
    // Both float64: ours is τ²·TRL's value (TRL does not scale by τ²).
    QVERIFY2(relErr(r.kd / (tau * tau), trl) < 1e-10,
             qPrintable(QStringLiteral("%1 vs TRL %2").arg(r.kd / (tau * tau), 0, 'g', 17).arg(trl, 0, 'g', 17)));
    QVERIFY(relErr(r.total.item<double>(), r.kd) < 1e-12);  // α = 0: the total is the KD term alone
  }

  // --- ensembles of teachers, padded vocabularies on either side, masked labels ------------------------------
  void ensemble_data() {
    QTest::addColumn<int>("index");
    QTest::addColumn<QString>("divergence");
    QTest::addColumn<bool>("chunked");
    const QJsonArray e = cases()[QStringLiteral("ensemble")].toArray();
    for (int i = 0; i < e.size(); ++i)
      for (const char* d : {"forward_kl", "reverse_kl", "jsd 0.0", "jsd 0.3", "jsd 0.5", "jsd 1.0"})
        for (bool chunked : {false, true})
          QTest::addRow("%s, %s%s", qPrintable(e[i].toObject()[QStringLiteral("name")].toString()), d,
                        chunked ? ", chunked" : "")
              << i << QString::fromLatin1(d) << chunked;
  }
  void ensemble() {
    QFETCH(int, index);
    QFETCH(QString, divergence);
    QFETCH(bool, chunked);
    const QJsonObject c = cases()[QStringLiteral("ensemble")].toArray()[index].toObject();
    const torch::Tensor s = tensorOf(c[QStringLiteral("student")]);
    const torch::Tensor y = labelsOf(c[QStringLiteral("labels")]);
    std::vector<torch::Tensor> teachers;
    std::vector<double> mix;
    std::vector<TeacherTargets> targets;
    for (const QJsonValue& t : c[QStringLiteral("teachers")].toArray()) teachers.push_back(tensorOf(t));
    for (const QJsonValue& w : c[QStringLiteral("weights")].toArray()) mix.push_back(w.toDouble());
    for (size_t i = 0; i < teachers.size(); ++i) targets.push_back(identityTeacher(teachers[i], mix[i]));
    const QStringList parts = divergence.split(QLatin1Char(' '));
    const double beta = parts.size() > 1 ? parts[1].toDouble() : 0.5;
    const KdLossOptions o = options(divergenceFromName(parts[0]), c[QStringLiteral("T")].toDouble(), 0.25, beta, 2);
    const KdLossResult r =
        chunked ? chunkedKdLoss(s, torch::eye(s.size(1), s.options()), targets, y, o) : kdLoss(s, teachers, mix, y, o);
    const QJsonObject ex = c[QStringLiteral("expected")].toObject();
    const double kd =
        parts.size() > 1 ? ex[QStringLiteral("jsd")].toObject()[parts[1]].toDouble() : ex[parts[0]].toDouble();
    const double ce = ex[QStringLiteral("ce")].toDouble();
    QCOMPARE(r.tokens, int64_t(7));
    QVERIFY2(relErr(r.ce, ce) < 1e-10, qPrintable(QStringLiteral("ce %1 vs %2").arg(r.ce).arg(ce)));
    QVERIFY2(relErr(r.kd, kd) < 1e-10,
             qPrintable(QStringLiteral("kd %1 vs %2").arg(r.kd, 0, 'g', 17).arg(kd, 0, 'g', 17)));
    QVERIFY(relErr(r.total.item<double>(), 0.25 * ce + 0.75 * kd) < 1e-10);
  }

  // --- chunked == unchunked, loss and gradients w.r.t. hidden and weight ------------------------------------
  void chunkedEqualsUnchunked_data() {
    QTest::addColumn<Divergence>("divergence");
    QTest::addColumn<double>("beta");
    QTest::addColumn<int64_t>("chunk");
    QTest::addColumn<bool>("f64");
    QTest::addColumn<bool>("twoTeachers");
    const std::vector<std::tuple<const char*, Divergence, double>> divs = {{"forward_kl", Divergence::ForwardKl, 0.5},
                                                                           {"reverse_kl", Divergence::ReverseKl, 0.5},
                                                                           {"jsd 0.5", Divergence::Jsd, 0.5},
                                                                           {"jsd 0.2", Divergence::Jsd, 0.2},
                                                                           {"jsd 1", Divergence::Jsd, 1.0}};
    // 17 counted rows of 23: chunks of 1, 4 (does not divide), 17 (all at once), 1024 (larger than N).
    for (const auto& [name, d, beta] : divs)
      for (int64_t chunk : {int64_t(1), int64_t(4), int64_t(17), int64_t(1024)})
        for (bool f64 : {true, false}) {
          QTest::addRow("%s chunk %lld %s", name, (long long)chunk, f64 ? "f64" : "f32")
              << d << beta << chunk << f64 << false;
          if (chunk == 4)
            QTest::addRow("%s chunk 4 %s two teachers", name, f64 ? "f64" : "f32") << d << beta << chunk << f64 << true;
        }
  }
  void chunkedEqualsUnchunked() {
    QFETCH(Divergence, divergence);
    QFETCH(double, beta);
    QFETCH(int64_t, chunk);
    QFETCH(bool, f64);
    QFETCH(bool, twoTeachers);
    const auto dt = f64 ? torch::kFloat64 : torch::kFloat32;
    const int64_t N = 23, H = 16, V = 50, Ht = 12, Vt = 54, Ht2 = 8;
    torch::manual_seed(7);
    const torch::Tensor h0 = torch::randn({N, H}, dt), w0 = torch::randn({V, H}, dt) * 0.5;
    const torch::Tensor th = torch::randn({N, Ht}, dt), tw = torch::randn({Vt, Ht}, dt) * 0.7;  // padded vocab
    const torch::Tensor th2 = torch::randn({N, Ht2}, dt), tw2 = torch::randn({V, Ht2}, dt);
    torch::Tensor y = torch::randint(0, V, {N}, torch::kInt64);
    for (int64_t i : {0, 3, 4, 9, 15, 21}) y[i] = -100;  // 17 counted rows
    const KdLossOptions o = options(divergence, 1.7, 0.3, beta, chunk);

    // Reference: full logits, plain autograd.
    const torch::Tensor h1 = h0.clone().requires_grad_(), w1 = w0.clone().requires_grad_();
    std::vector<torch::Tensor> tl{torch::matmul(th, tw.t())};
    std::vector<double> mix{1.0};
    if (twoTeachers) {
      tl.push_back(torch::matmul(th2, tw2.t()));
      mix = {0.6, 0.4};
    }
    const KdLossResult ref = kdLoss(torch::matmul(h1, w1.t()), tl, mix, y, o);
    ref.total.backward();

    // Chunked and fused.
    const torch::Tensor h2 = h0.clone().requires_grad_(), w2 = w0.clone().requires_grad_();
    std::vector<TeacherTargets> teachers{{th, tw, mix[0]}};
    if (twoTeachers) teachers.push_back({th2, tw2, mix[1]});
    const KdLossResult got = chunkedKdLoss(h2, w2, teachers, y, o);
    got.total.backward();

    const double tol = f64 ? 1e-10 : 1e-5;
    QCOMPARE(got.tokens, int64_t(17));
    QCOMPARE(got.total.scalar_type(), dt);
    const double e = relErr(got.total, ref.total);
    QVERIFY2(e < tol, qPrintable(QStringLiteral("loss rel err %1").arg(e)));
    QVERIFY(relErr(got.ce, ref.ce) < tol && relErr(got.kd, ref.kd) < tol);
    const double eh = relErr(h2.grad(), h1.grad()), ew = relErr(w2.grad(), w1.grad());
    QVERIFY2(eh < tol, qPrintable(QStringLiteral("grad hidden rel err %1").arg(eh)));
    QVERIFY2(ew < tol, qPrintable(QStringLiteral("grad weight rel err %1").arg(ew)));
    QCOMPARE(h2.grad().index({0}).abs().sum().item<double>(), 0.0);  // masked row: no gradient
  }

  // bf16 hidden states are upcast, not computed in bf16: same loss as float32 from the same values.
  void chunkedUpcastsBf16() {
    torch::manual_seed(3);
    const torch::Tensor h = torch::randn({12, 8}).to(torch::kBFloat16), w = torch::randn({30, 8}).to(torch::kBFloat16);
    const torch::Tensor th = torch::randn({12, 6}).to(torch::kBFloat16),
                        tw = torch::randn({30, 6}).to(torch::kBFloat16);
    const torch::Tensor y = torch::randint(0, 30, {12}, torch::kInt64);
    const KdLossOptions o = options(Divergence::ForwardKl, 2.0, 0.5, 0.5, 5);
    const torch::Tensor hb = h.clone().requires_grad_(), wb = w.clone().requires_grad_();
    const KdLossResult rb = chunkedKdLoss(hb, wb, {{th, tw}}, y, o);
    rb.total.backward();
    const torch::Tensor hf = h.to(torch::kFloat32).requires_grad_(), wf = w.to(torch::kFloat32).requires_grad_();
    const KdLossResult rf = chunkedKdLoss(hf, wf, {{th.to(torch::kFloat32), tw.to(torch::kFloat32)}}, y, o);
    rf.total.backward();
    QCOMPARE(rb.total.scalar_type(), torch::kFloat32);
    QVERIFY2(relErr(rb.total, rf.total) < 1e-6, qPrintable(QString::number(relErr(rb.total, rf.total))));
    QCOMPARE(hb.grad().scalar_type(), torch::kBFloat16);
    QCOMPARE(wb.grad().scalar_type(), torch::kBFloat16);
    // The gradients are the float32 ones rounded once to bf16 (8 bits of mantissa).
    QVERIFY(relErr(hb.grad(), hf.grad()) < 1e-2);
    QVERIFY(relErr(wb.grad(), wf.grad()) < 1e-2);
  }

  // A frozen output weight (LoRA) gets no gradient; evaluation without grad mode returns a plain number.
  void chunkedGradientsOnlyWhereAsked() {
    torch::manual_seed(5);
    const torch::Tensor w = torch::randn({20, 6}, torch::kFloat64), th = torch::randn({10, 4}, torch::kFloat64),
                        tw = torch::randn({20, 4}, torch::kFloat64);
    const torch::Tensor y = torch::randint(0, 20, {10}, torch::kInt64);
    const KdLossOptions o = options(Divergence::Jsd, 2.0, 0.5, 0.5, 3);
    const torch::Tensor h = torch::randn({10, 6}, torch::kFloat64).requires_grad_();
    const KdLossResult r = chunkedKdLoss(h, w, {{th, tw}}, y, o);
    r.total.backward();
    QVERIFY(h.grad().defined());
    QVERIFY(!w.grad().defined());
    const torch::Tensor h2 = h.detach().clone().requires_grad_();
    const KdLossResult ref = kdLoss(torch::matmul(h2, w.t()), torch::matmul(th, tw.t()), y, o);
    ref.total.backward();
    QVERIFY(relErr(h.grad(), h2.grad()) < 1e-10);
    {
      torch::NoGradGuard g;
      const KdLossResult e = chunkedKdLoss(h, w, {{th, tw}}, y, o);
      QVERIFY(!e.total.requires_grad());
      QVERIFY(relErr(e.total, ref.total) < 1e-12);
    }
    // Hidden as [B, S, H] with labels [B, S]: leading dims are flattened, the gradient keeps the shape.
    const torch::Tensor h3 = h.detach().reshape({2, 5, 6}).clone().requires_grad_();
    chunkedKdLoss(h3, w, {{th.reshape({2, 5, 4}), tw}}, y.reshape({2, 5}), o).total.backward();
    QCOMPARE(h3.grad().sizes(), h3.sizes());
    QVERIFY(relErr(h3.grad().reshape({10, 6}), h2.grad()) < 1e-10);
  }

  // Every label masked: loss 0 (not NaN), zero gradients, backward still runs.
  void allMasked() {
    const torch::Tensor h = torch::randn({4, 3}, torch::kFloat64).requires_grad_();
    const torch::Tensor w = torch::randn({7, 3}, torch::kFloat64).requires_grad_();
    const torch::Tensor y = torch::full({4}, -100, torch::kInt64);
    const KdLossOptions o = options(Divergence::ForwardKl, 2.0, 0.5);
    const KdLossResult r = chunkedKdLoss(h, w, {{torch::randn({4, 3}, torch::kFloat64), w.detach()}}, y, o);
    QCOMPARE(r.tokens, int64_t(0));
    QCOMPARE(r.total.item<double>(), 0.0);
    r.total.backward();
    QCOMPARE(h.grad().abs().sum().item<double>(), 0.0);
    QCOMPARE(w.grad().abs().sum().item<double>(), 0.0);
    const KdLossResult ref = kdLoss(torch::randn({4, 7}), torch::randn({4, 7}), y, o);
    QCOMPARE(ref.total.item<double>(), 0.0);
    QCOMPARE(ref.tokens, int64_t(0));
  }

  void badInput_data() {
    QTest::addColumn<QString>("expected");
    QTest::addColumn<std::function<void()>>("call");
    const torch::Tensor s = torch::randn({3, 5}), t = torch::randn({3, 5});
    const torch::Tensor y = torch::tensor({1, 2, -100}, torch::kInt64);
    QTest::newRow("temperature 0") << QStringLiteral("temperature=0 must be > 0") << std::function<void()>([=] {
      kdLoss(s, t, y, options(Divergence::ForwardKl, 0, 0.5));
    });
    QTest::newRow("alpha 1.5") << QStringLiteral("alpha=1.5 must be in [0, 1]") << std::function<void()>([=] {
      kdLoss(s, t, y, options(Divergence::ForwardKl, 1, 1.5));
    });
    QTest::newRow("beta -0.1") << QStringLiteral("jsd_beta=-0.1 must be in [0, 1]") << std::function<void()>([=] {
      kdLoss(s, t, y, options(Divergence::Jsd, 1, 0.5, -0.1));
    });
    QTest::newRow("chunk 0") << QStringLiteral("chunk_tokens=0 must be > 0") << std::function<void()>([=] {
      chunkedKdLoss(s, torch::eye(5), {identityTeacher(t)}, y, options(Divergence::ForwardKl, 1, 0.5, 0.5, 0));
    });
    QTest::newRow("label out of vocab")
        << QStringLiteral("labels must be -100 or in [0, 5), got 7") << std::function<void()>([=] {
             kdLoss(s, t, torch::tensor({1, 7, -100}, torch::kInt64), options(Divergence::ForwardKl, 1, 0.5));
           });
    QTest::newRow("loss name") << QStringLiteral("kd.loss=kl must be forward_kl, reverse_kl or jsd")
                               << std::function<void()>([] { divergenceFromName(QStringLiteral("kl")); });
    QTest::newRow("teacher weights 0") << QStringLiteral("the teachers' weights must not all be 0")
                                       << std::function<void()>([=] {
                                            kdLoss(s, {t}, {0.0}, y, options(Divergence::ForwardKl, 1, 0.5));
                                          });
    QTest::newRow("reverse KL on top-k") << QStringLiteral("kd.loss=reverse_kl needs the teacher's full distribution")
                                         << std::function<void()>([=] {
                                              TeacherTargets c;
                                              auto [v, i] = t.topk(2, 1);
                                              c.topkValues = v;
                                              c.topkIndices = i;
                                              chunkedKdLoss(s, torch::eye(5), {c}, y,
                                                            options(Divergence::ReverseKl, 1, 0.5));
                                            });
  }
  void badInput() {
    QFETCH(QString, expected);
    QFETCH(std::function<void()>, call);
    const QString e = errorOf(call);
    QVERIFY2(e.contains(expected), qPrintable(e));
  }

  // --- schedules ------------------------------------------------------------------------------------------
  void schedule_data() {
    QTest::addColumn<QString>("kind");
    QTest::addColumn<double>("start");
    QTest::addColumn<double>("end");
    QTest::addColumn<int>("stages");
    QTest::addColumn<double>("perStage");
    QTest::addColumn<int64_t>("step");
    QTest::addColumn<int64_t>("total");
    QTest::addColumn<double>("expected");
    // The seeds' progressive KD over 90 steps: steps 0-29 stage 0, 30-59 stage 1, 60-89 stage 2.
    const QString st = QStringLiteral("stages");
    for (auto [step, tau, alpha] : {std::tuple{0, 3.0, 0.5},
                                    {29, 3.0, 0.5},
                                    {30, 2.2, 0.65},
                                    {59, 2.2, 0.65},
                                    {60, 1.4, 0.8},
                                    {89, 1.4, 0.8},
                                    {500, 1.4, 0.8}}) {
      QTest::addRow("stages tau step %d", step) << st << 3.0 << 0.0 << 3 << -0.8 << int64_t(step) << int64_t(90) << tau;
      QTest::addRow("stages alpha step %d", step)
          << st << 0.5 << 0.0 << 3 << 0.15 << int64_t(step) << int64_t(90) << alpha;
    }
    // 100 steps in 3 stages: ⌊step·3/100⌋ → 33 is stage 0, 34 stage 1, 67 stage 2.
    QTest::newRow("stages uneven 33") << st << 3.0 << 0.0 << 3 << -0.8 << int64_t(33) << int64_t(100) << 3.0;
    QTest::newRow("stages uneven 34") << st << 3.0 << 0.0 << 3 << -0.8 << int64_t(34) << int64_t(100) << 2.2;
    QTest::newRow("stages uneven 67") << st << 3.0 << 0.0 << 3 << -0.8 << int64_t(67) << int64_t(100) << 1.4;
    const QString c = QStringLiteral("constant"), l = QStringLiteral("linear"), cs = QStringLiteral("cosine");
    QTest::newRow("constant") << c << 2.5 << 9.0 << 1 << 0.0 << int64_t(40) << int64_t(100) << 2.5;
    QTest::newRow("linear first") << l << 4.0 << 1.0 << 1 << 0.0 << int64_t(0) << int64_t(101) << 4.0;
    QTest::newRow("linear middle") << l << 4.0 << 1.0 << 1 << 0.0 << int64_t(50) << int64_t(101) << 2.5;
    QTest::newRow("linear quarter") << l << 4.0 << 1.0 << 1 << 0.0 << int64_t(25) << int64_t(101) << 3.25;
    QTest::newRow("linear last") << l << 4.0 << 1.0 << 1 << 0.0 << int64_t(100) << int64_t(101) << 1.0;
    QTest::newRow("linear past end") << l << 4.0 << 1.0 << 1 << 0.0 << int64_t(300) << int64_t(101) << 1.0;
    QTest::newRow("linear one step") << l << 4.0 << 1.0 << 1 << 0.0 << int64_t(0) << int64_t(1) << 4.0;
    QTest::newRow("cosine first") << cs << 0.2 << 0.8 << 1 << 0.0 << int64_t(0) << int64_t(11) << 0.2;
    QTest::newRow("cosine middle") << cs << 0.2 << 0.8 << 1 << 0.0 << int64_t(5) << int64_t(11) << 0.5;
    // t = 1/4: end + (start − end)·(1 + cos(π/4))/2 = 0.8 − 0.6·0.853553390593 = 0.287867965644
    QTest::newRow("cosine quarter") << cs << 0.2 << 0.8 << 1 << 0.0 << int64_t(25) << int64_t(101)
                                    << 0.28786796564403577;
    QTest::newRow("cosine last") << cs << 0.2 << 0.8 << 1 << 0.0 << int64_t(10) << int64_t(11) << 0.8;
  }
  void schedule() {
    QFETCH(QString, kind);
    QFETCH(double, start);
    QFETCH(double, end);
    QFETCH(int, stages);
    QFETCH(double, perStage);
    QFETCH(int64_t, step);
    QFETCH(int64_t, total);
    QFETCH(double, expected);
    ScheduleSpec s;
    s.kind = kind;
    s.start = start;
    s.end = end;
    s.stages = stages;
    s.perStage = perStage;
    const double v = scheduleValue(s, step, total);
    QVERIFY2(std::abs(v - expected) < 1e-12, qPrintable(QStringLiteral("%1 vs %2").arg(v, 0, 'g', 17).arg(expected)));
  }

  void scheduleErrors() {
    ScheduleSpec s;
    s.kind = QStringLiteral("exp");
    QVERIFY2(errorOf([&] {
               scheduleValue(s, 0, 10);
             }).contains(QStringLiteral("kind=exp must be constant, linear, cosine or stages")),
             qPrintable(errorOf([&] { scheduleValue(s, 0, 10); })));
    s.kind = QStringLiteral("stages");
    s.stages = 0;
    QVERIFY(errorOf([&] { scheduleValue(s, 0, 10); }).contains(QStringLiteral("stages=0 must be >= 1")));
  }

  void kdOptionsFromSpec() {
    KdSpec kd;
    kd.loss = QStringLiteral("jsd");
    kd.temperature = 1.5;
    kd.alpha = 0.25;
    kd.jsdBeta = 0.3;
    kd.chunkTokens = 77;
    KdLossOptions o = kdOptionsAtStep(kd, 50, 100);
    QCOMPARE(o.divergence, Divergence::Jsd);
    QCOMPARE(o.temperature, 1.5);  // constant schedules fall back to kd.temperature / kd.alpha
    QCOMPARE(o.alpha, 0.25);
    QCOMPARE(o.jsdBeta, 0.3);
    QCOMPARE(o.chunkTokens, int64_t(77));
    kd.temperatureSchedule = {QStringLiteral("stages"), 3.0, 0, 3, -0.8};
    kd.alphaSchedule = {QStringLiteral("linear"), 0.5, 1.0, 1, 0};
    o = kdOptionsAtStep(kd, 50, 101);
    QVERIFY(std::abs(o.temperature - 2.2) < 1e-12);
    QVERIFY(std::abs(o.alpha - 0.75) < 1e-12);
  }

  // --- feature alignment ----------------------------------------------------------------------------------
  void layerMapping() {
    QCOMPARE(uniformLayerMapping(2, 4), (std::vector<int>{0, 2, 4}));
    QCOMPARE(uniformLayerMapping(3, 12), (std::vector<int>{0, 4, 8, 12}));
    QCOMPARE(uniformLayerMapping(4, 6), (std::vector<int>{0, 2, 3, 5, 6}));  // 1.5 and 4.5 round up
    QCOMPARE(uniformLayerMapping(3, 3), (std::vector<int>{0, 1, 2, 3}));
    QCOMPARE(uniformLayerMapping(4, 2), (std::vector<int>{0, 1, 1, 2, 2}));
    const FeatureAlignOptions o = defaultFeatureAlignOptions(3, 12, 64, 96, FeatureLoss::Cosine);
    QCOMPARE(o.studentLayers, (std::vector<int>{1, 2, 3}));
    QCOMPARE(o.teacherLayers, (std::vector<int>{4, 8, 12}));
    const FeatureAlignOptions chosen = defaultFeatureAlignOptions(3, 12, 64, 96, FeatureLoss::Mse, {0, 2});
    QCOMPARE(chosen.teacherLayers, (std::vector<int>{0, 8}));
    QVERIFY(errorOf([] {
              defaultFeatureAlignOptions(3, 12, 64, 96, FeatureLoss::Mse, {4});
            }).contains(QStringLiteral("kd.feature_layers=4 must be a hidden_states index in [0, 3]")));
    QVERIFY(errorOf([] { featureLossFromName(QStringLiteral("l1")); }).contains(QStringLiteral("kd.feature_loss=l1")));
  }

  void featureAlign_data() {
    QTest::addColumn<FeatureLoss>("loss");
    QTest::addColumn<QString>("key");
    QTest::newRow("mse") << FeatureLoss::Mse << QStringLiteral("mse");
    QTest::newRow("cosine") << FeatureLoss::Cosine << QStringLiteral("cosine");
  }
  void featureAlign() {
    QFETCH(FeatureLoss, loss);
    QFETCH(QString, key);
    const QJsonObject f = cases()[QStringLiteral("feature")].toObject();
    std::vector<torch::Tensor> s, t;
    for (const QJsonValue& v : f[QStringLiteral("student")].toArray()) s.push_back(tensorOf(v));
    for (const QJsonValue& v : f[QStringLiteral("teacher")].toArray()) t.push_back(tensorOf(v));
    FeatureAlignOptions o;
    for (const QJsonValue& v : f[QStringLiteral("student_layers")].toArray()) o.studentLayers.push_back(v.toInt());
    for (const QJsonValue& v : f[QStringLiteral("teacher_layers")].toArray()) o.teacherLayers.push_back(v.toInt());
    o.studentHidden = 4;
    o.teacherHidden = 6;
    o.loss = loss;
    FeatureAlign align(o);
    align->to(torch::kFloat64);
    const QJsonArray pw = f[QStringLiteral("proj_weight")].toArray(), pb = f[QStringLiteral("proj_bias")].toArray();
    {
      torch::NoGradGuard g;
      for (const auto& p : align->named_parameters()) {
        const QStringList parts = QString::fromStdString(p.key()).split(QLatin1Char('.'));  // proj.K.weight
        QCOMPARE(parts.size(), 3);
        const int k = parts[1].toInt();
        p.value().copy_(tensorOf(parts[2] == QLatin1String("weight") ? pw[k] : pb[k]));
      }
    }
    QCOMPARE(align->named_parameters().size(), size_t(4));
    const torch::Tensor l = align->forward(s, t, tensorOf(f[QStringLiteral("mask")]));
    const double expected = f[key].toDouble();
    QVERIFY2(relErr(l.item<double>(), expected) < 1e-10,
             qPrintable(QStringLiteral("%1 vs %2").arg(l.item<double>(), 0, 'g', 17).arg(expected)));
    l.backward();  // the projections learn
    for (const auto& p : align->parameters()) QVERIFY(p.grad().defined() && p.grad().abs().sum().item<double>() > 0);
  }

  void featureAlignSameWidth() {
    const QJsonObject f = cases()[QStringLiteral("feature")].toObject();
    std::vector<torch::Tensor> s, t;
    for (const QJsonValue& v : f[QStringLiteral("student")].toArray()) s.push_back(tensorOf(v).requires_grad_());
    for (const QJsonValue& v : f[QStringLiteral("teacher_same_width")].toArray()) t.push_back(tensorOf(v));
    FeatureAlignOptions o;
    o.studentLayers = {1, 2};
    o.teacherLayers = {2, 4};
    o.studentHidden = o.teacherHidden = 4;
    FeatureAlign align(o);
    QVERIFY(align->parameters().empty());  // equal widths: no projection
    const torch::Tensor l = align->forward(s, t, tensorOf(f[QStringLiteral("mask")]));
    const double expected = f[QStringLiteral("mse_same_width")].toDouble();
    QVERIFY2(relErr(l.item<double>(), expected) < 1e-10, qPrintable(QString::number(l.item<double>())));
    l.backward();
    QCOMPARE(s[1].grad().index({0, 2}).abs().sum().item<double>(), 0.0);  // masked position
    QVERIFY(s[1].grad().index({0, 1}).abs().sum().item<double>() > 0);
    // No counted position: 0.
    const torch::Tensor none = align->forward(s, t, torch::zeros({2, 3}, torch::kInt64));
    QCOMPARE(none.item<double>(), 0.0);
    o.teacherLayers = {2};
    QVERIFY(
        errorOf([&] { FeatureAlign bad(o); }).contains(QStringLiteral("needs one teacher layer per student layer")));
  }

  // --- cached top-k teacher logits ------------------------------------------------------------------------
  // For k = the full vocabulary the cached path is the online one; a small k on peaked logits is close.
  void topkLoss_data() {
    QTest::addColumn<Divergence>("divergence");
    QTest::addColumn<double>("beta");
    QTest::newRow("forward_kl") << Divergence::ForwardKl << 0.5;
    QTest::newRow("reverse_kl") << Divergence::ReverseKl << 0.5;
    QTest::newRow("jsd") << Divergence::Jsd << 0.5;
  }
  void topkLoss() {
    QFETCH(Divergence, divergence);
    QFETCH(double, beta);
    torch::manual_seed(11);
    const int64_t N = 14, H = 10, V = 40, Vt = 44, Ht = 8;
    const torch::Tensor h = torch::randn({N, H}), w = torch::randn({V, H}) * 0.5;
    const torch::Tensor th = torch::randn({N, Ht}), tw = torch::randn({Vt, Ht});
    torch::Tensor y = torch::randint(0, V, {N}, torch::kInt64);
    y[2] = -100;
    const KdLossOptions o = options(divergence, 2.0, 0.4, beta, 4);
    const KdLossResult online = chunkedKdLoss(h, w, {{th, tw}}, y, o);
    const torch::Tensor logits = torch::matmul(th, tw.t());  // [N, Vt]
    auto [values, indices] = logits.topk(Vt, 1);
    TeacherTargets cached;
    cached.topkValues = values;
    cached.topkIndices = indices;
    cached.vocab = Vt;
    const KdLossResult full = chunkedKdLoss(h, w, {cached}, y, o);
    QVERIFY2(relErr(full.total, online.total) < 1e-6,
             qPrintable(QStringLiteral("%1 vs %2").arg(full.total.item<double>()).arg(online.total.item<double>())));
    QVERIFY(relErr(full.kd, online.kd) < 1e-6);
    if (divergence == Divergence::ReverseKl) return;  // refused for k < vocab (badInput)

    // Peaked teacher: one id per row 40 logits above the rest, so at τ = 2 the teacher's mass outside its top 8 is
    // below 1e-5 (checked); the truncated, renormalised teacher then gives nearly the same loss.
    torch::Tensor peaked = logits.clone();
    peaked.scatter_add_(1, torch::randint(0, V, {N, 1}, torch::kInt64), torch::full({N, 1}, 40.0));
    const torch::Tensor p = torch::softmax(peaked.narrow(1, 0, V).to(torch::kFloat64) / 2.0, 1);
    const double tail = (1 - std::get<0>(p.topk(8, 1)).sum(1)).max().item<double>();
    QVERIFY2(tail < 1e-5, qPrintable(QString::number(tail)));
    TeacherTargets exact;
    exact.topkValues = peaked;
    exact.topkIndices = torch::arange(Vt, torch::kInt64).expand({N, Vt});
    exact.vocab = Vt;
    auto [pv, pi] = peaked.topk(8, 1);
    TeacherTargets small;
    small.topkValues = pv;
    small.topkIndices = pi;
    small.vocab = Vt;
    const KdLossResult a = chunkedKdLoss(h, w, {exact}, y, o), b = chunkedKdLoss(h, w, {small}, y, o);
    QVERIFY2(relErr(b.kd, a.kd) < 1e-4, qPrintable(QStringLiteral("top-8 %1 vs full %2").arg(b.kd).arg(a.kd)));
  }

  void teacherCache() {
    QTemporaryDir dir;
    const QString cacheDir = dir.path() + QStringLiteral("/cache");
    const QString data = dir.path() + QStringLiteral("/train.jsonl");
    {
      QFile f(data);
      QVERIFY(f.open(QIODevice::WriteOnly));
      f.write("{\"text\": \"hello\"}\n");
    }
    TeacherCacheKey key;
    key.teacher = QStringLiteral("/models/teacher");
    key.topK = 5;
    key.dataHash = fileSha256(data);
    QCOMPARE(key.dataHash.size(), 64);

    torch::manual_seed(2);
    const torch::Tensor ids = torch::randint(0, 100, {2, 6}, torch::kInt64);
    const torch::Tensor mask = torch::ones({2, 6}, torch::kInt64);
    const torch::Tensor logits = torch::randn({2, 6, 30});
    const QString batch = TeacherCache::batchKey(ids, mask);
    {
      TeacherCache cache(cacheDir, key);
      QVERIFY(!cache.contains(batch));
      cache.store(batch, logits);
      QVERIFY(cache.contains(batch));
    }
    QVERIFY(QFile::exists(cacheDir + QStringLiteral("/index.json")));
    TeacherCache again(cacheDir, key);  // reopened: the entry is still there
    QVERIFY(again.contains(batch));
    const TeacherTopK t = again.load(batch);
    auto [v, i] = logits.topk(5, -1);
    QCOMPARE(t.values.sizes(), v.sizes());
    QCOMPARE(t.indices.scalar_type(), torch::kInt64);
    QVERIFY(torch::equal(t.values, v));
    QVERIFY(torch::equal(t.indices, i));
    QCOMPARE(t.vocab, int64_t(30));
    // Another batch has another key; a changed mask too.
    QVERIFY(TeacherCache::batchKey(ids + 1, mask) != batch);
    QVERIFY(TeacherCache::batchKey(ids, torch::zeros_like(mask)) != batch);
    QVERIFY(TeacherCache::batchKey(ids, mask, torch::ones_like(mask)) != batch);  // packed: other boundaries
    QVERIFY(TeacherCache::batchKey(ids, torch::Tensor(), mask) != TeacherCache::batchKey(ids, mask));
    QVERIFY(!again.contains(TeacherCache::batchKey(ids + 1, mask)));

    // A cache made for another teacher, k or data file is refused, and left as it was.
    TeacherCacheKey other = key;
    other.topK = 6;
    const QString e = errorOf([&] { TeacherCache c(cacheDir, other); });
    QVERIFY2(e.contains(QStringLiteral("index.json: top_k=5")) && e.contains(QStringLiteral("asks for 6")),
             qPrintable(e));
    other = key;
    other.dataHash = QString(64, QLatin1Char('0'));
    QVERIFY(errorOf([&] { TeacherCache c(cacheDir, other); }).contains(QStringLiteral("data_hash")));
    QVERIFY(TeacherCache(cacheDir, key).contains(batch));
    QVERIFY(errorOf([&] { again.load(TeacherCache::batchKey(ids + 1, mask)); }).contains(QStringLiteral("not cached")));
  }

  // The cached path through the loss: k = vocab gives the online loss.
  void teacherCacheLoss() {
    QTemporaryDir dir;
    TeacherCacheKey key;
    key.teacher = QStringLiteral("t");
    key.topK = 24;
    key.dataHash = QStringLiteral("x");
    TeacherCache cache(dir.path(), key);
    torch::manual_seed(4);
    const torch::Tensor th = torch::randn({3, 5, 8}), tw = torch::randn({24, 8});
    const torch::Tensor h = torch::randn({3, 5, 6}), w = torch::randn({24, 6});
    const torch::Tensor ids = torch::randint(0, 24, {3, 5}, torch::kInt64);
    const torch::Tensor y = torch::randint(0, 24, {3, 5}, torch::kInt64);
    const QString batch = TeacherCache::batchKey(ids, torch::Tensor());
    cache.store(batch, torch::matmul(th, tw.t()));
    const TeacherTopK t = cache.load(batch);
    const KdLossOptions o = options(Divergence::ForwardKl, 2.0, 0.5);
    const KdLossResult online = chunkedKdLoss(h, w, {{th, tw}}, y, o);
    const KdLossResult cached = chunkedKdLoss(h, w, {t.targets()}, y, o);
    QVERIFY2(relErr(cached.total, online.total) < 1e-6,
             qPrintable(QString::number(relErr(cached.total, online.total))));
  }
};

QTEST_GUILESS_MAIN(TestKd)
#include "tst_kd.moc"
