import Crypto
import Foundation

/// Seals secret values with AES-GCM under a key derived from the master key. The associated data
/// binds each record to its connection, key name and version, so a record moved to another
/// connection or key does not open.
public struct SecretCipher {
  private let key: SymmetricKey

  /// `salt` is the catalog's own random salt: the same master key gives each catalog its own key.
  public init(masterKey: [UInt8], salt: [UInt8]) {
    key = HKDF<SHA256>.deriveKey(
      inputKeyMaterial: SymmetricKey(data: masterKey), salt: salt, info: Array("switchboard secrets v1".utf8),
      outputByteCount: 32)
  }

  /// A value stored in the catalog that proves a later key is the same one, without revealing it.
  public var keyCheck: Data {
    Data(HMAC<SHA256>.authenticationCode(for: Array("switchboard key check".utf8), using: key))
  }

  public func seal(_ value: String, connectionID: Int64, key name: String, version: Int64) throws -> Data {
    let box = try AES.GCM.seal(Array(value.utf8), using: key, authenticating: Self.associatedData(connectionID, name, version))
    return box.combined!
  }

  public func open(_ record: Data, connectionID: Int64, key name: String, version: Int64) throws(SecretStoreError) -> String {
    // nonce (12) + tag (16) at least; anything shorter is not ours.
    guard record.count >= 28, let box = try? AES.GCM.SealedBox(combined: record),
      let plain = try? AES.GCM.open(box, using: key, authenticating: Self.associatedData(connectionID, name, version))
    else { throw .tampered(key: name) }
    return String(decoding: plain, as: UTF8.self)
  }

  private static func associatedData(_ id: Int64, _ name: String, _ version: Int64) -> [UInt8] {
    Array("\(id)|\(version)|\(name)".utf8)
  }
}
