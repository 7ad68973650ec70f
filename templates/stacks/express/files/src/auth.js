import bcrypt from "bcryptjs";
import jwt from "jsonwebtoken";

const ALGORITHM = "HS256";

/** Password hashing and JWT access tokens, bound to the app's configuration. */
export function createAuth(config) {
  // Compared against when the email is unknown, so a login takes as long
  // whether or not the account exists.
  let dummyHash;

  return {
    hashPassword: (password) => bcrypt.hash(password, config.bcryptRounds),
    async verifyPassword(password, hash) {
      dummyHash ??= await bcrypt.hash("not-a-real-password", config.bcryptRounds);
      return bcrypt.compare(password, hash ?? dummyHash);
    },
    issueToken(user) {
      const accessToken = jwt.sign({}, config.secretKey, {
        algorithm: ALGORITHM,
        subject: String(user.id),
        expiresIn: config.jwtExpiresIn,
      });
      const { exp, iat } = jwt.decode(accessToken);
      return { access_token: accessToken, token_type: "Bearer", expires_in: exp - iat };
    },
    /** The user id in a valid token; throws on a bad, expired or forged token. */
    verifyToken(token) {
      const payload = jwt.verify(token, config.secretKey, { algorithms: [ALGORITHM] });
      const id = Number(payload.sub);
      if (!Number.isSafeInteger(id)) throw new Error("token subject is not a user id");
      return id;
    },
  };
}
