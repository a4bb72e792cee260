// construct_event / verify_signature: the signature rules, case by case, and the
// official SDKs' messages.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "hookline/webhook.hpp"
#include "sdk_test_support.hpp"

namespace hookline {
namespace {

using namespace hookline::testing;
using std::chrono::seconds;

const std::string kPayload = event_json();
// The v1 signature of kPayload at kT with kSecret.
const std::string kSig =
    generate_test_header(kPayload, kSecret, kT).substr(std::string("t=1700000000,v1=").size());

// The message of the SignatureVerificationError that verification throws, or
// "OK" when it accepts.
std::string verdict(const std::string& payload, const std::string& header,
                    const std::string& secret = kSecret, std::int64_t now = kT,
                    seconds tolerance = kDefaultTolerance) {
  try {
    verify_signature(payload, header, secret, tolerance, at(now));
    return "OK";
  } catch (const SignatureVerificationError& e) {
    EXPECT_EQ(e.header(), header);
    return e.what();
  }
}

constexpr char kUnparsable[] = "Unable to extract timestamp and signatures from header";
constexpr char kNoV1[] = "No signatures found with expected scheme v1 for payload";
constexpr char kNoMatch[] = "No signatures found matching the expected signature for payload.";
constexpr char kTooOld[] = "Timestamp outside the tolerance zone";

bool starts_with(const std::string& s, const std::string& prefix) {
  return s.rfind(prefix, 0) == 0;
}

TEST(VerifySignature, AcceptsTheHeaderHooklineSends) {
  EXPECT_EQ(verdict(kPayload, "t=1700000000,v1=" + kSig), "OK");
  EXPECT_EQ(verdict(kPayload, generate_test_header(kPayload, kSecret, kT)), "OK");
}

TEST(VerifySignature, AnyMatchingV1IsEnough) {
  const std::string other = generate_test_header(kPayload, "whsec_other", kT).substr(16);
  EXPECT_EQ(verdict(kPayload, "t=1700000000,v1=" + other + ",v1=" + kSig), "OK");
  EXPECT_EQ(verdict(kPayload, "t=1700000000,v1=" + kSig + ",v1=" + other), "OK");
  EXPECT_EQ(verdict(kPayload, "v1=" + other + ",t=1700000000,v1=" + kSig + ",v0=" + other), "OK");
  EXPECT_EQ(verdict(kPayload, "t=1700000000,v0=" + std::string(64, 'a') + ",v1=" + kSig), "OK");
  EXPECT_TRUE(
      starts_with(verdict(kPayload, "t=1700000000,v1=" + other + ",v1=" + other), kNoMatch));
}

TEST(VerifySignature, OtherSchemesAreIgnoredNoDowngrade) {
  // A correct HMAC under v0 (or any other name) is not a v1 signature.
  EXPECT_EQ(verdict(kPayload, "t=1700000000,v0=" + kSig), kNoV1);
  EXPECT_EQ(verdict(kPayload, generate_test_header(kPayload, kSecret, kT, "v0")), kNoV1);
  EXPECT_EQ(verdict(kPayload, "t=1700000000,v2=" + kSig), kNoV1);
  EXPECT_EQ(verdict(kPayload, "t=1700000000,V1=" + kSig), kNoV1);
  EXPECT_EQ(verdict(kPayload, "t=1700000000, v1=" + kSig), kNoV1);  // no trimming
}

TEST(VerifySignature, WrongSecretOrChangedBodyDoesNotMatch) {
  const std::string header = "t=1700000000,v1=" + kSig;
  EXPECT_TRUE(starts_with(verdict(kPayload, header, "whsec_wrong"), kNoMatch));
  EXPECT_TRUE(starts_with(verdict(kPayload, header, "5u7n0dT6UeZ2xVq9Yk4bHf8Lm3Rp1Wc0"), kNoMatch))
      << "the whsec_ prefix is part of the key";
  std::string changed = kPayload;
  changed[10] ^= 0x01;
  EXPECT_TRUE(starts_with(verdict(changed, header), kNoMatch));
  EXPECT_TRUE(starts_with(verdict(kPayload + "\n", header), kNoMatch));
  // The signed timestamp is part of the message.
  EXPECT_TRUE(starts_with(verdict(kPayload, "t=1700000001,v1=" + kSig), kNoMatch));
}

TEST(VerifySignature, MismatchMentionsWhitespaceInTheSecret) {
  const std::string message =
      verdict(kPayload, "t=1700000000,v1=" + kSig, std::string(kSecret) + "\n");
  EXPECT_TRUE(starts_with(message, kNoMatch));
  EXPECT_NE(message.find("whitespace"), std::string::npos) << message;
  EXPECT_EQ(verdict(kPayload, "t=1700000000,v1=" + kSig, "whsec_wrong").find("whitespace"),
            std::string::npos);
}

TEST(VerifySignature, CandidatesMustBeExactLowercaseHex) {
  std::string upper = kSig;
  for (char& c : upper) c = static_cast<char>(std::toupper(c));
  EXPECT_TRUE(starts_with(verdict(kPayload, "t=1700000000,v1=" + upper), kNoMatch));
  for (const std::string& candidate :
       {std::string(), kSig.substr(1), kSig + "0", kSig + "=", kSig + " ", " " + kSig}) {
    EXPECT_TRUE(starts_with(verdict(kPayload, "t=1700000000,v1=" + candidate), kNoMatch))
        << candidate;
  }
  EXPECT_TRUE(starts_with(verdict(kPayload, "t=1700000000,v1"), kNoMatch));
}

TEST(VerifySignature, ToleranceRejectsOldTimestampsOnly) {
  const std::string header = "t=1700000000,v1=" + kSig;
  EXPECT_EQ(verdict(kPayload, header, kSecret, kT + 300), "OK");  // exactly the tolerance
  EXPECT_TRUE(starts_with(verdict(kPayload, header, kSecret, kT + 301), kTooOld));
  EXPECT_EQ(verdict(kPayload, header, kSecret, kT - 86400), "OK");  // future: accepted, as Stripe
  EXPECT_EQ(verdict(kPayload, header, kSecret, 0), "OK");
  EXPECT_EQ(verdict(kPayload, header, kSecret, kT + 10, seconds(10)), "OK");
  EXPECT_TRUE(starts_with(verdict(kPayload, header, kSecret, kT + 11, seconds(10)), kTooOld));
  // Zero (or less) turns the check off.
  EXPECT_EQ(verdict(kPayload, header, kSecret, kT + 10'000'000, seconds(0)), "OK");
  EXPECT_EQ(verdict(kPayload, header, kSecret, kT + 10'000'000, seconds(-1)), "OK");
  // A sub-second "now" counts whole seconds, as Math.floor(Date.now() / 1000).
  verify_signature(kPayload, header, kSecret, kDefaultTolerance,
                   at(kT + 300) + std::chrono::milliseconds(999));
}

TEST(VerifySignature, SignatureIsCheckedBeforeTheTimestamp) {
  // As stripe-node: an old header with a wrong signature reports the signature.
  EXPECT_TRUE(starts_with(verdict(kPayload, "t=1700000000,v1=" + kSig, "whsec_wrong", kT + 1000),
                          kNoMatch));
}

TEST(VerifySignature, MissingPiecesHaveTheOfficialMessages) {
  EXPECT_EQ(verdict("", "t=1700000000,v1=" + kSig), "No webhook payload was provided.");
  EXPECT_EQ(verdict(kPayload, ""), "No stripe-signature header value was provided.");
  EXPECT_EQ(verdict(kPayload, "t=1700000000,v1=" + kSig, ""),
            "No webhook secret value was provided. It should start with `whsec_`");
  EXPECT_EQ(verdict(kPayload, "t=1700000000,v1=" + kSig, " \t\n"),
            "No webhook secret value was provided. It should start with `whsec_`");
}

TEST(VerifySignature, MalformedTimestamps) {
  const std::string v1 = ",v1=" + kSig;
  for (const std::string& header :
       std::vector<std::string>{"garbage",
                                "v1=" + kSig,
                                "t" + v1,
                                "t=" + v1,
                                "t=abc" + v1,
                                "t=-1700000000" + v1,
                                "t=+1700000000" + v1,
                                "t= 1700000000" + v1,
                                "t=1700000000 " + v1,
                                "t=17e8" + v1,
                                "t=1700000000.5" + v1,
                                "t=1700000000=1" + v1,
                                "t=99999999999999999999" + v1,
                                "t=1700000000,t=1700000000" + v1,  // duplicated t: ambiguous
                                "t=1,t=1700000000" + v1,
                                "T=1700000000" + v1,
                                ",,,",
                                "=",
                                "t==",
                                "t=0x10" + v1}) {
    EXPECT_EQ(verdict(kPayload, header), kUnparsable) << header;
  }
}

TEST(VerifySignature, TimestampWithLeadingZerosIsItsNumber) {
  // stripe-node signs `${parseInt(t)}`: the canonical decimal.
  EXPECT_EQ(verdict(kPayload, "t=0001700000000,v1=" + kSig), "OK");
}

TEST(VerifySignature, NoV1) {
  EXPECT_EQ(verdict(kPayload, "t=1700000000"), kNoV1);
  EXPECT_EQ(verdict(kPayload, "t=1700000000,"), kNoV1);
  EXPECT_EQ(verdict(kPayload, "t=1700000000,v0=abc,foo=bar,,=x"), kNoV1);
}

TEST(VerifySignature, UnknownItemsAreIgnored) {
  EXPECT_EQ(verdict(kPayload, "foo,t=1700000000,,bar=baz=,v1=" + kSig + ",=,"), "OK");
}

TEST(VerifySignature, DefaultNowIsTheSystemClock) {
  const auto now =
      std::chrono::duration_cast<seconds>(std::chrono::system_clock::now().time_since_epoch())
          .count();
  verify_signature(kPayload, generate_test_header(kPayload, kSecret, now), kSecret);
  EXPECT_THROW(
      verify_signature(kPayload, generate_test_header(kPayload, kSecret, now - 400), kSecret),
      SignatureVerificationError);
  verify_signature(kPayload, generate_test_header(kPayload, kSecret, now - 400), kSecret,
                   seconds(500));
  Event e = construct_event(kPayload, generate_test_header(kPayload, kSecret, now), kSecret);
  EXPECT_EQ(e.id(), "evt_1");
}

TEST(GenerateTestHeader, HasTheShapeOfStripeNodes) {
  EXPECT_EQ(generate_test_header(kPayload, kSecret, kT), "t=1700000000,v1=" + kSig);
  EXPECT_EQ(generate_test_header(kPayload, kSecret, kT, "v0"), "t=1700000000,v0=" + kSig);
}

TEST(ConstructEvent, ChecksTheSignatureFirstThenThePayload) {
  const std::string bad = "not json";
  EXPECT_THROW(construct_event(bad, "t=1700000000,v1=" + kSig, kSecret, kDefaultTolerance, at(kT)),
               SignatureVerificationError);
  EXPECT_THROW(construct_event(bad, generate_test_header(bad, kSecret, kT), kSecret,
                               kDefaultTolerance, at(kT)),
               PayloadError);
}

TEST(ConstructEvent, BothErrorsAreWebhookErrors) {
  try {
    construct_event(kPayload, "", kSecret);
    FAIL();
  } catch (const WebhookError& e) {
    EXPECT_NE(dynamic_cast<const SignatureVerificationError*>(&e), nullptr);
  }
  try {
    construct_event("[]", generate_test_header("[]", kSecret, kT), kSecret, kDefaultTolerance,
                    at(kT));
    FAIL();
  } catch (const WebhookError& e) {
    EXPECT_NE(dynamic_cast<const PayloadError*>(&e), nullptr);
    EXPECT_STREQ(e.what(), "Payload is not a JSON object");
  }
}

}  // namespace
}  // namespace hookline
