// The op registry and the op tables agree: every registered op is exercised by some op-table
// case (its forward pass, its gradient, or the gradient of its gradient), so an op added
// without a table entry fails here, naming it.
#include <algorithm>
#include <set>
#include <string>

#include <gtest/gtest.h>

#include "tensorbox/core/node.h"
#include "tensorbox/ops/op.h"
#include "tests/cpp/testing/op_case.h"

// GCC 12 reports a std::variant moved into a vector as maybe-uninitialized (a known false
// positive at -O2); the library's own uses are not affected.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif

namespace tb {
namespace {

// Sees every op run on this thread while it is alive, whatever its inputs.
class OpSpy : public ops::Recorder {
 public:
  OpSpy() { ops::push_recorder(this); }
  ~OpSpy() override { ops::remove_recorder(this); }
  bool should_record(const std::vector<Tensor>&) override { return true; }
  void record(const std::shared_ptr<const Node>& node) override { seen.insert(node->op->name); }
  std::set<std::string> seen;
};

// Runs a case's forward pass in each of its dtypes, and its first and second gradients
// (float64, first shape set), as the table's checks do.
void exercise(const testing::OpCase& c, OpSpy&) {
  std::mt19937 rng(5);
  for (DType dt : c.dtypes) c.op(testing::make_inputs(c, c.shapes[0], dt, rng));
  const testing::Inputs in = testing::make_inputs(c, c.shapes[0], DType::float64, rng);
  std::vector<Tensor> sources;
  for (const Tensor& t : in)
    if (t.dtype() == DType::float64 && t.size() > 0) sources.push_back(t);
  GradientTape outer(/*persistent=*/false);
  for (const Tensor& s : sources) outer.watch(s);
  Tensor y, total = Tensor::scalar(0.0, DType::float64);
  std::vector<Tensor> g;
  {
    GradientTape inner;
    for (const Tensor& s : sources) inner.watch(s);
    y = c.op(in);
    if (!c.check_grad || !is_floating(y.dtype())) return;
    g = inner.gradient(ops::reduce_sum(ops::cast(y, DType::float64)), sources);
  }
  for (const Tensor& gi : g)
    if (gi.defined()) total = ops::add(total, ops::reduce_sum(ops::square(gi)));
  if (c.second_order) outer.gradient(total, sources);
}

TEST(OpRegistry, EveryRegisteredOpHasAnOpTableEntry) {
  OpSpy spy;
  std::vector<testing::OpCase> cases = testing::op_table_cases();
  for (const testing::OpCase& c : testing::conv_op_table_cases()) cases.push_back(c);
  for (const testing::OpCase& c : cases) exercise(c, spy);
  std::vector<std::string> missing;
  for (const OpDef* op : registered_ops())
    if (!spy.seen.count(op->name)) missing.push_back(op->name);
  std::string names;
  for (const std::string& m : missing) names += " " + m;
  EXPECT_TRUE(missing.empty()) << "registered ops no op-table case runs:" << names;
  EXPECT_GT(registered_ops().size(), 50u);
}

TEST(OpRegistry, FindsOpsByTensorFlowsNames) {
  ASSERT_NE(find_op("AddV2"), nullptr);
  EXPECT_STREQ(find_op("BatchMatMulV3")->name, "BatchMatMulV3");
  EXPECT_NE(find_op("Conv2DBackpropFilter")->grad, nullptr);
  EXPECT_EQ(find_op("MaxPoolGrad")->grad, nullptr);
  EXPECT_EQ(find_op("NoSuchOp"), nullptr);
}

TEST(OpRegistry, AttributesAreTypedAndNamed) {
  Attrs a;
  a.add("axis", int64_t(2));
  a.add("padding", std::string("same"));
  a.add("keep_dims", true);
  EXPECT_EQ(a.get<int64_t>("axis"), 2);
  EXPECT_EQ(a.get<std::string>("padding"), "same");
  EXPECT_TRUE(a.get<bool>("keep_dims"));
  EXPECT_TRUE(a.has("axis"));
  EXPECT_FALSE(a.has("perm"));
  EXPECT_THROW(a.get<double>("axis"), InternalError);
  EXPECT_THROW(a.get<int64_t>("perm"), InternalError);
}

}  // namespace
}  // namespace tb
