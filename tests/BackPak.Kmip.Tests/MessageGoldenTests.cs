using System;
using System.Linq;
using Xunit;

namespace BackPak.Kmip.Tests
{
    /// <summary>Request messages must be byte-identical to PyKMIP's encoding of the same fields; responses PyKMIP writes must parse.</summary>
    public class MessageGoldenTests
    {
        private const string Uid = "42";
        private const string KeyName = "backpak-test-key";
        private const int MaxResponse = 4 * 1024 * 1024;

        private static byte[] Request(params RequestBatchItem[] items) =>
            new RequestMessage(KmipVersion.V1_2, items) { MaximumResponseSize = MaxResponse }.Encode();

        public static TheoryData<string> RequestCases() => new TheoryData<string>
        {
            "request_discover_versions", "request_query", "request_locate_by_name", "request_locate_by_name_max_10",
            "request_locate_all_max_500", "request_get_attributes", "request_revoke_cessation", "request_revoke_key_compromise", "request_destroy",
            "request_activate", "request_create_aes_256", "request_revoke_and_destroy_batch",
        };

        private static byte[] BuildRequest(string name) => name switch
        {
            "request_discover_versions" => Request(KmipRequests.DiscoverVersions()),
            "request_query" => Request(KmipRequests.Query(
                KmipQueryFunction.QueryOperations, KmipQueryFunction.QueryObjects, KmipQueryFunction.QueryServerInformation)),
            "request_locate_by_name" => Request(KmipRequests.LocateByName(KeyName)),
            "request_locate_by_name_max_10" => Request(KmipRequests.LocateByName(KeyName, 10)),
            "request_locate_all_max_500" => Request(KmipRequests.LocateAll(500)),
            "request_get_attributes" => Request(KmipRequests.GetAttributes(Uid)),
            "request_revoke_cessation" => Request(KmipRequests.Revoke(Uid, KmipRevocationReasonCode.CessationOfOperation, "rotated")),
            "request_revoke_key_compromise" => Request(KmipRequests.Revoke(Uid, KmipRevocationReasonCode.KeyCompromise, null,
                DateTimeOffset.FromUnixTimeSeconds(1205495800))),
            "request_destroy" => Request(KmipRequests.Destroy(Uid)),
            "request_activate" => Request(KmipRequests.Activate(Uid)),
            "request_create_aes_256" => Request(KmipRequests.CreateSymmetricKey(KeyName)),
            "request_revoke_and_destroy_batch" => Request(
                KmipRequests.Revoke(Uid, KmipRevocationReasonCode.CessationOfOperation, "rotated"), KmipRequests.Destroy(Uid)),
            _ => throw new ArgumentOutOfRangeException(nameof(name)),
        };

        [Theory]
        [MemberData(nameof(RequestCases))]
        public void Request_bytes_match_pykmip(string name)
        {
            Assert.Equal(Hex.Format(Golden.Get(name)), Hex.Format(BuildRequest(name)));
        }

        [Fact]
        public void Every_golden_request_case_is_tested()
        {
            var tested = ((System.Collections.Generic.IEnumerable<object[]>)RequestCases()).Select(row => (string)row[0]);
            Assert.Empty(Golden.Names.Where(n => n.StartsWith("request_", StringComparison.Ordinal)).Except(tested));
        }

        [Fact]
        public void Parses_discover_versions_response()
        {
            var response = ResponseMessage.Decode(Golden.Get("response_discover_versions"));
            Assert.Equal(KmipVersion.V1_2, response.ProtocolVersion);
            Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1700000000), response.TimeStamp);
            var item = Assert.Single(response.BatchItems);
            Assert.Equal(KmipOperation.DiscoverVersions, item.Operation);
            Assert.Equal(KmipResultStatus.Success, item.ResultStatus);
            Assert.Equal(new[] { KmipVersion.V1_2, KmipVersion.V1_1, KmipVersion.V1_0 }, KmipResponses.DiscoverVersions(item.RequirePayload()));
        }

        [Fact]
        public void Parses_query_response()
        {
            var payload = ResponseMessage.Decode(Golden.Get("response_query")).BatchItems[0].RequirePayload();
            var query = KmipResponses.Query(payload);
            Assert.Equal(new[] { KmipOperation.Create, KmipOperation.Locate, KmipOperation.Destroy }, query.Operations);
            Assert.Equal(new[] { KmipObjectType.SymmetricKey }, query.ObjectTypes);
            Assert.Equal("PyKMIP 0.10.0 Software Server", query.VendorIdentification);
        }

        [Fact]
        public void Parses_locate_response()
        {
            var payload = ResponseMessage.Decode(Golden.Get("response_locate")).BatchItems[0].RequirePayload();
            Assert.Equal(new[] { "7", "42" }, KmipResponses.Locate(payload));
        }

        [Fact]
        public void Parses_get_attributes_response()
        {
            var payload = ResponseMessage.Decode(Golden.Get("response_get_attributes")).BatchItems[0].RequirePayload();
            var info = KmipResponses.GetAttributes(payload);
            Assert.Equal(Uid, info.UniqueIdentifier);
            Assert.Equal(KmipState.Active, info.State);
            Assert.Equal(2u, info.RawState);
            Assert.Equal(new[] { KeyName }, info.Names);
            Assert.Equal(KmipObjectType.SymmetricKey, info.ObjectType);
            Assert.Equal(KmipCryptographicAlgorithm.Aes, info.CryptographicAlgorithm);
            Assert.Equal(256, info.CryptographicLength);
            Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1205495800), info.InitialDate);
            Assert.Null(info.ActivationDate);
            Assert.Equal(7, info.Attributes.Count);
            Assert.Equal(0, info.Attributes.Single(a => a.Name == KmipAttributeNames.Name).Index);
        }

        [Fact]
        public void Parses_create_response()
        {
            var payload = ResponseMessage.Decode(Golden.Get("response_create")).BatchItems[0].RequirePayload();
            Assert.Equal(Uid, KmipResponses.UniqueIdentifier(payload));
        }

        [Fact]
        public void Failed_item_surfaces_reason_and_message()
        {
            var item = ResponseMessage.Decode(Golden.Get("response_item_not_found")).BatchItems[0];
            Assert.False(item.IsSuccess);
            var ex = Assert.Throws<KmipOperationException>(() => item.RequirePayload());
            Assert.Equal(KmipOperation.GetAttributes, ex.Operation);
            Assert.Equal(KmipResultStatus.OperationFailed, ex.ResultStatus);
            Assert.Equal(KmipResultReason.ItemNotFound, ex.ResultReason);
            Assert.Equal("Could not locate object: 42", ex.ResultMessage);
            Assert.Contains("ItemNotFound", ex.Message);
        }

        [Fact]
        public void Rejected_message_without_operation_fails_every_request_item()
        {
            var request = new RequestMessage(KmipVersion.V1_2, KmipRequests.Revoke(Uid, KmipRevocationReasonCode.Unspecified), KmipRequests.Destroy(Uid));
            var response = ResponseMessage.Decode(Golden.Get("response_message_rejected"));
            var ex = Assert.Throws<KmipOperationException>(() => response.MatchSuccessful(request));
            Assert.Null(ex.Operation);
            Assert.Equal(KmipResultReason.InvalidMessage, ex.ResultReason);
        }

        [Fact]
        public void Batch_response_is_matched_by_batch_item_id_and_throws_for_the_failed_item()
        {
            var request = new RequestMessage(KmipVersion.V1_2,
                KmipRequests.Revoke(Uid, KmipRevocationReasonCode.CessationOfOperation, "rotated"), KmipRequests.Destroy(Uid));
            Assert.Equal(new byte[] { 0, 0, 0, 1 }, request.BatchItems[0].UniqueBatchItemId);
            Assert.Equal(new byte[] { 0, 0, 0, 2 }, request.BatchItems[1].UniqueBatchItemId);

            var response = ResponseMessage.Decode(Golden.Get("response_revoke_ok_destroy_failed"));
            Assert.Equal(2, response.BatchCount);
            Assert.True(response.BatchItems[0].IsSuccess);
            var ex = Assert.Throws<KmipOperationException>(() => response.MatchSuccessful(request));
            Assert.Equal(KmipOperation.Destroy, ex.Operation);
            Assert.Equal(KmipResultReason.PermissionDenied, ex.ResultReason);
        }

        [Fact]
        public void Unknown_enumeration_values_keep_their_raw_number()
        {
            var bytes = Golden.Get("response_item_not_found");
            // Result Reason value sits in the Result Reason item (tag 42007E); make it a vendor value.
            var at = Hex.Format(bytes).IndexOf("42007E0500000004", StringComparison.Ordinal) / 2 + 8;
            bytes[at] = 0x80; bytes[at + 3] = 0x07;
            var ex = Assert.Throws<KmipOperationException>(() => ResponseMessage.Decode(bytes).BatchItems[0].EnsureSuccess());
            Assert.Equal(0x80000007u, (uint)ex.ResultReason!.Value);
        }

        [Fact]
        public void Unknown_state_maps_to_unknown_and_keeps_raw_value()
        {
            var bytes = Golden.Get("response_get_attributes");
            // The State attribute value: Attribute Value (42000B) enumeration holding 2 (Active), right after the "State" name.
            var hex = Hex.Format(bytes);
            var stateName = Hex.Format(System.Text.Encoding.ASCII.GetBytes("State"));
            var at = hex.IndexOf("42000B0500000004", hex.IndexOf(stateName, StringComparison.Ordinal), StringComparison.Ordinal) / 2 + 8;
            bytes[at + 3] = 0x63;
            var info = KmipResponses.GetAttributes(ResponseMessage.Decode(bytes).BatchItems[0].RequirePayload());
            Assert.Equal(KmipState.Unknown, info.State);
            Assert.Equal(0x63u, info.RawState);
        }

        [Fact]
        public void Batch_count_mismatch_is_a_decode_error()
        {
            var bytes = Golden.Get("response_locate");
            var hex = Hex.Format(bytes);
            var at = hex.IndexOf("42000D0200000004", StringComparison.Ordinal) / 2 + 8;
            bytes[at + 3] = 2;
            Assert.Throws<KmipDecodeException>(() => ResponseMessage.Decode(bytes));
        }

        [Fact]
        public void Request_message_rejects_bad_arguments()
        {
            Assert.Throws<ArgumentException>(() => new RequestMessage(KmipVersion.V1_2));
            Assert.Throws<ArgumentException>(() => KmipRequests.LocateByName(""));
            Assert.Throws<ArgumentException>(() => KmipRequests.Destroy(""));
            Assert.Throws<ArgumentException>(() => new RequestBatchItem(KmipOperation.Destroy,
                Ttlv.TtlvItem.Structure(KmipTag.ResponsePayload)));
        }
    }
}
