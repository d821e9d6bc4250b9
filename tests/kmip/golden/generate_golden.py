#!/usr/bin/python3
"""Writes pykmip-golden.txt: TTLV encodings produced by PyKMIP's own encoder (kmip.core).

PyKMIP is an independent KMIP implementation, so its bytes are a reference for the C# codec.
Each message is built with exactly the fields the C# library sends, so the bytes must match.
The tests read the committed output; Python is only needed to regenerate it:

    /usr/bin/python3 tests/kmip/golden/generate_golden.py
"""
import os

from kmip.core import enums, objects, primitives, utils
from kmip.core import attributes as core_attributes
from kmip.core.enums import Tags
from kmip.core.factories.attributes import AttributeFactory
from kmip.core.messages import contents, messages, payloads

TAG = Tags.COMPROMISE_DATE  # 0x420020, the tag the KMIP spec uses in its encoding examples
KMIP_1_2 = enums.KMIPVersion.KMIP_1_2
UID = "42"
KEY_NAME = "backpak-test-key"
MAX_RESPONSE = 4 * 1024 * 1024
TIME_STAMP = 1700000000

factory = AttributeFactory()


def encode(obj, kmip_version=KMIP_1_2):
    stream = utils.BytearrayStream()
    obj.write(stream, kmip_version=kmip_version)
    return bytes(stream.buffer).hex().upper()


def version(major, minor):
    return contents.ProtocolVersion(major, minor)


def request(operation, payload, batch_id=None, more=()):
    items = [messages.RequestBatchItem(
        operation=contents.Operation(operation),
        unique_batch_item_id=contents.UniqueBatchItemID(batch_id) if batch_id else None,
        request_payload=payload)]
    items.extend(more)
    header = messages.RequestHeader(
        protocol_version=version(1, 2),
        maximum_response_size=contents.MaximumResponseSize(MAX_RESPONSE),
        batch_count=contents.BatchCount(len(items)))
    return messages.RequestMessage(request_header=header, batch_items=items)


def response(*items):
    header = messages.ResponseHeader(
        protocol_version=version(1, 2),
        time_stamp=contents.TimeStamp(TIME_STAMP),
        batch_count=contents.BatchCount(len(items)))
    return messages.ResponseMessage(response_header=header, batch_items=list(items))


def ok(operation, payload, batch_id=None):
    return messages.ResponseBatchItem(
        operation=contents.Operation(operation),
        unique_batch_item_id=contents.UniqueBatchItemID(batch_id) if batch_id else None,
        result_status=contents.ResultStatus(enums.ResultStatus.SUCCESS),
        response_payload=payload)


def failed(operation, reason, message, batch_id=None):
    return messages.ResponseBatchItem(
        operation=contents.Operation(operation) if operation else None,
        unique_batch_item_id=contents.UniqueBatchItemID(batch_id) if batch_id else None,
        result_status=contents.ResultStatus(enums.ResultStatus.OPERATION_FAILED),
        result_reason=contents.ResultReason(reason),
        result_message=contents.ResultMessage(message))


def revoke_payload(code, message=None, compromise_date=None):
    return payloads.RevokeRequestPayload(
        unique_identifier=core_attributes.UniqueIdentifier(UID),
        revocation_reason=objects.RevocationReason(code=code, message=message),
        compromise_occurrence_date=primitives.DateTime(compromise_date, Tags.COMPROMISE_OCCURRENCE_DATE)
        if compromise_date else None)


def name_attribute(name):
    return factory.create_attribute(enums.AttributeType.NAME, name)


GET_ATTRIBUTE_NAMES = [
    "Unique Identifier", "Object Type", "Name", "State", "Cryptographic Algorithm", "Cryptographic Length",
    "Initial Date", "Activation Date", "Deactivation Date", "Destroy Date",
]

cases = {}

# --- primitives (same values as the KMIP 1.x spec examples, plus edge cases) ---
cases["integer_8"] = encode(primitives.Integer(8, TAG))
cases["integer_minus_1"] = encode(primitives.Integer(-1, TAG))
cases["long_integer_123456789000000000"] = encode(primitives.LongInteger(123456789000000000, TAG))
cases["long_integer_minus_2"] = encode(primitives.LongInteger(-2, TAG))
cases["big_integer_1234567890000000000000000000"] = encode(primitives.BigInteger(1234567890000000000000000000, TAG))
cases["big_integer_minus_1"] = encode(primitives.BigInteger(-1, TAG))
cases["big_integer_2_pow_64"] = encode(primitives.BigInteger(2 ** 64, TAG))
cases["enumeration_256"] = encode(primitives.Enumeration(enums.ResultReason, enums.ResultReason.GENERAL_FAILURE, TAG))
cases["boolean_true"] = encode(primitives.Boolean(True, TAG))
cases["boolean_false"] = encode(primitives.Boolean(False, TAG))
cases["text_string_hello_world"] = encode(primitives.TextString("Hello World", TAG))
cases["text_string_eight_chars"] = encode(primitives.TextString("12345678", TAG))
cases["byte_string_010203"] = encode(primitives.ByteString(b"\x01\x02\x03", TAG))
cases["date_time_1205495800"] = encode(primitives.DateTime(1205495800, TAG))
cases["interval_864000"] = encode(primitives.Interval(864000, TAG))

# --- requests, as KmipClient sends them (header: version 1.2, Maximum Response Size, Batch Count) ---
cases["request_discover_versions"] = encode(request(
    enums.Operation.DISCOVER_VERSIONS,
    payloads.DiscoverVersionsRequestPayload(
        protocol_versions=[version(1, 4), version(1, 3), version(1, 2), version(1, 1), version(1, 0)])))
cases["request_query"] = encode(request(
    enums.Operation.QUERY,
    payloads.QueryRequestPayload(query_functions=[
        enums.QueryFunction.QUERY_OPERATIONS,
        enums.QueryFunction.QUERY_OBJECTS,
        enums.QueryFunction.QUERY_SERVER_INFORMATION])))
cases["request_locate_by_name"] = encode(request(
    enums.Operation.LOCATE, payloads.LocateRequestPayload(attributes=[name_attribute(KEY_NAME)])))
cases["request_locate_by_name_max_10"] = encode(request(
    enums.Operation.LOCATE, payloads.LocateRequestPayload(maximum_items=10, attributes=[name_attribute(KEY_NAME)])))
cases["request_locate_all_max_500"] = encode(request(
    enums.Operation.LOCATE, payloads.LocateRequestPayload(maximum_items=500)))
cases["request_get_attributes"] = encode(request(
    enums.Operation.GET_ATTRIBUTES,
    payloads.GetAttributesRequestPayload(unique_identifier=UID, attribute_names=GET_ATTRIBUTE_NAMES)))
cases["request_revoke_cessation"] = encode(request(
    enums.Operation.REVOKE, revoke_payload(enums.RevocationReasonCode.CESSATION_OF_OPERATION, "rotated")))
cases["request_revoke_key_compromise"] = encode(request(
    enums.Operation.REVOKE, revoke_payload(enums.RevocationReasonCode.KEY_COMPROMISE, None, 1205495800)))
cases["request_destroy"] = encode(request(
    enums.Operation.DESTROY, payloads.DestroyRequestPayload(unique_identifier=core_attributes.UniqueIdentifier(UID))))
cases["request_activate"] = encode(request(
    enums.Operation.ACTIVATE, payloads.ActivateRequestPayload(unique_identifier=core_attributes.UniqueIdentifier(UID))))
cases["request_create_aes_256"] = encode(request(
    enums.Operation.CREATE,
    payloads.CreateRequestPayload(
        object_type=enums.ObjectType.SYMMETRIC_KEY,
        template_attribute=objects.TemplateAttribute(attributes=[
            factory.create_attribute(enums.AttributeType.CRYPTOGRAPHIC_ALGORITHM, enums.CryptographicAlgorithm.AES),
            factory.create_attribute(enums.AttributeType.CRYPTOGRAPHIC_LENGTH, 256),
            factory.create_attribute(enums.AttributeType.CRYPTOGRAPHIC_USAGE_MASK,
                                     [enums.CryptographicUsageMask.ENCRYPT, enums.CryptographicUsageMask.DECRYPT]),
            name_attribute(KEY_NAME),
        ]))))
cases["request_revoke_and_destroy_batch"] = encode(request(
    enums.Operation.REVOKE, revoke_payload(enums.RevocationReasonCode.CESSATION_OF_OPERATION, "rotated"),
    batch_id=b"\x00\x00\x00\x01",
    more=[messages.RequestBatchItem(
        operation=contents.Operation(enums.Operation.DESTROY),
        unique_batch_item_id=contents.UniqueBatchItemID(b"\x00\x00\x00\x02"),
        request_payload=payloads.DestroyRequestPayload(unique_identifier=core_attributes.UniqueIdentifier(UID)))]))

# --- responses, as a PyKMIP server writes them ---
cases["response_discover_versions"] = encode(response(ok(
    enums.Operation.DISCOVER_VERSIONS,
    payloads.DiscoverVersionsResponsePayload(protocol_versions=[version(1, 2), version(1, 1), version(1, 0)]))))
cases["response_query"] = encode(response(ok(
    enums.Operation.QUERY,
    payloads.QueryResponsePayload(
        operations=[enums.Operation.CREATE, enums.Operation.LOCATE, enums.Operation.DESTROY],
        object_types=[enums.ObjectType.SYMMETRIC_KEY],
        vendor_identification="PyKMIP 0.10.0 Software Server"))))
cases["response_locate"] = encode(response(ok(
    enums.Operation.LOCATE, payloads.LocateResponsePayload(unique_identifiers=["7", "42"]))))
cases["response_get_attributes"] = encode(response(ok(
    enums.Operation.GET_ATTRIBUTES,
    payloads.GetAttributesResponsePayload(unique_identifier=UID, attributes=[
        factory.create_attribute(enums.AttributeType.UNIQUE_IDENTIFIER, UID),
        factory.create_attribute(enums.AttributeType.OBJECT_TYPE, enums.ObjectType.SYMMETRIC_KEY),
        factory.create_attribute(enums.AttributeType.NAME, KEY_NAME, 0),
        factory.create_attribute(enums.AttributeType.STATE, enums.State.ACTIVE),
        factory.create_attribute(enums.AttributeType.CRYPTOGRAPHIC_ALGORITHM, enums.CryptographicAlgorithm.AES),
        factory.create_attribute(enums.AttributeType.CRYPTOGRAPHIC_LENGTH, 256),
        factory.create_attribute(enums.AttributeType.INITIAL_DATE, 1205495800),
    ]))))
cases["response_create"] = encode(response(ok(
    enums.Operation.CREATE,
    payloads.CreateResponsePayload(object_type=enums.ObjectType.SYMMETRIC_KEY, unique_identifier=UID))))
cases["response_item_not_found"] = encode(response(failed(
    enums.Operation.GET_ATTRIBUTES, enums.ResultReason.ITEM_NOT_FOUND, "Could not locate object: 42")))
cases["response_message_rejected"] = encode(response(failed(
    None, enums.ResultReason.INVALID_MESSAGE, "Error parsing request message.")))
cases["response_revoke_ok_destroy_failed"] = encode(response(
    ok(enums.Operation.REVOKE,
       payloads.RevokeResponsePayload(unique_identifier=core_attributes.UniqueIdentifier(UID)),
       batch_id=b"\x00\x00\x00\x01"),
    failed(enums.Operation.DESTROY, enums.ResultReason.PERMISSION_DENIED, "Object is active and cannot be destroyed.",
           batch_id=b"\x00\x00\x00\x02")))

out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "pykmip-golden.txt")
with open(out, "w") as f:
    f.write("# Generated by generate_golden.py with PyKMIP's kmip.core encoder. Do not edit.\n")
    for name in cases:
        f.write("{0}={1}\n".format(name, cases[name]))
print("wrote {0} cases to {1}".format(len(cases), out))
