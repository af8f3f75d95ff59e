"""Calls the real gateway through the generated Python client (clients/python): who am I, predict, chat, and a
refusal raised as the client's own exception with the gateway's error body. Prints OK at the end."""
import json
import sys

import dln_client
from dln_client.exceptions import ApiException

url, key, model = sys.argv[1], sys.argv[2], sys.argv[3]
client = dln_client.ApiClient(dln_client.Configuration(host=url, access_token=key))

me = dln_client.KeysApi(client).get_caller()
assert me.role == dln_client.Role.ADMIN, me

prediction = dln_client.InferenceApi(client).predict(model, dln_client.PredictRequest(inputs=["3 + 4", "2 + 2"]))
assert prediction is not None and len(prediction.outputs) == 2, prediction
assert prediction.model == model and prediction.version >= 1, prediction

completion = dln_client.OpenAICompatibleApi(client).create_chat_completion(dln_client.ChatRequest(
    model="dln/" + model, messages=[dln_client.Message(role="user", content="3 + 4")]))
assert completion.choices[0].message.content == prediction.outputs[0], (completion, prediction)

try:
    dln_client.InferenceApi(client).predict("no-such-model", dln_client.PredictRequest(inputs=["x"]))
    raise AssertionError("an unknown model was answered")
except ApiException as e:
    assert e.status == 404, e
    assert json.loads(e.body)["error"]["code"] == "not_found", e.body

print("OK", prediction.outputs[0])
