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

  /// The record format `seal` writes: 2 pads the value (format 1, unpadded, still opens).
  public static let currentFormat = 2
  /// Padded plaintexts are a multiple of this many bytes: a record's length tells a secret's
  /// length only to within a bucket (most credentials fit the first).
  static let paddingBucket = 128

  public func seal(_ value: String, connectionID: Int64, key name: String, version: Int64) throws -> Data {
    let box = try AES.GCM.seal(
      Self.padded(Array(value.utf8)), using: key,
      authenticating: Self.associatedData(connectionID, name, version, format: Self.currentFormat))
    return box.combined!
  }

  public func open(_ record: Data, format: Int = currentFormat, connectionID: Int64, key name: String, version: Int64) throws(SecretStoreError) -> String {
    // nonce (12) + tag (16) at least; anything shorter is not ours.
    guard record.count >= 28, let box = try? AES.GCM.SealedBox(combined: record),
      let plain = try? AES.GCM.open(box, using: key, authenticating: Self.associatedData(connectionID, name, version, format: format))
    else { throw .tampered(key: name) }
    if format == 1 { return String(decoding: plain, as: UTF8.self) }
    guard let value = Self.unpadded(Array(plain)) else { throw .tampered(key: name) }
    return String(decoding: value, as: UTF8.self)
  }

  /// Format 2 binds the format too, so a record cannot be passed off as the other format.
  private static func associatedData(_ id: Int64, _ name: String, _ version: Int64, format: Int) -> [UInt8] {
    Array((format == 1 ? "\(id)|\(version)|\(name)" : "v\(format)|\(id)|\(version)|\(name)").utf8)
  }

  /// ISO/IEC 7816-4 padding: the value, 0x80, then zeros up to the next bucket.
  static func padded(_ value: [UInt8]) -> [UInt8] {
    let total = (value.count / paddingBucket + 1) * paddingBucket
    return value + [0x80] + [UInt8](repeating: 0, count: total - value.count - 1)
  }

  static func unpadded(_ plain: [UInt8]) -> ArraySlice<UInt8>? {
    guard let marker = plain.lastIndex(where: { $0 != 0 }), plain[marker] == 0x80 else { return nil }
    return plain[..<marker]
  }
}
