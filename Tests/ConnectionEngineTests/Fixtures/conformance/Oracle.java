import java.nio.file.*;
import java.util.*;
import org.apache.flink.table.api.*;

/** Reads base64 statements (one per line), prints: idx \t verdict \t line \t col \t class \t message(base64). */
public class Oracle {
  public static void main(String[] args) throws Exception {
    TableEnvironment env = TableEnvironment.create(EnvironmentSettings.inBatchMode());
    List<String> lines = Files.readAllLines(Paths.get(args[0]));
    StringBuilder out = new StringBuilder();
    int i = 0;
    for (String b64 : lines) {
      String sql = new String(Base64.getDecoder().decode(b64), "UTF-8");
      String verdict = "accept"; int line = 0, col = 0; String cls = "-"; String msg = "";
      try {
        env.executeSql(sql);
      } catch (Throwable t) {
        cls = t.getClass().getSimpleName();
        msg = t.getMessage() == null ? "" : t.getMessage();
        if (t instanceof SqlParserException || cls.equals("SqlParserEOFException")) verdict = "reject";
        for (Throwable c = t; c != null; c = c.getCause()) {
          String n = c.getClass().getSimpleName();
          if (n.equals("SqlValidateException")) { verdict = "reject"; }
          try {
            Object pos = c.getClass().getMethod("getPos").invoke(c);
            if (pos != null) {
              line = (Integer) pos.getClass().getMethod("getLineNum").invoke(pos);
              col = (Integer) pos.getClass().getMethod("getColumnNum").invoke(pos);
            }
          } catch (NoSuchMethodException e) {
          } catch (Exception e) {}
          try {
            Object pos = c.getClass().getMethod("getErrorPosition").invoke(c);
            if (pos != null && line == 0) {
              line = (Integer) pos.getClass().getMethod("getLineNum").invoke(pos);
              col = (Integer) pos.getClass().getMethod("getColumnNum").invoke(pos);
            }
          } catch (Exception e) {}
          if (c.getCause() == c) break;
        }
      }
      out.append(i).append('\t').append(verdict).append('\t').append(line).append('\t').append(col)
         .append('\t').append(cls).append('\t')
         .append(Base64.getEncoder().encodeToString(msg.getBytes("UTF-8"))).append('\n');
      i++;
    }
    Files.write(Paths.get(args[1]), out.toString().getBytes("UTF-8"));
    System.exit(0);
  }
}
