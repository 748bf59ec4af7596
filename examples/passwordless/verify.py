"""VerifyAuthChallengeResponse: the answer must be the code of this round."""
import hmac
import json
import sys

event = json.load(sys.stdin)
expected = event["request"]["privateChallengeParameters"]["code"]
answer = event["request"]["challengeAnswer"]
event["response"]["answerCorrect"] = hmac.compare_digest(expected, answer)
print(json.dumps(event))
