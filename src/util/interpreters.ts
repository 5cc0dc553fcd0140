/** Scripts that node runs itself. */
export const NODE_SCRIPT = /\.(c|m)?js$/;

/** pm2's interpreter for a script by its extension (node scripts aside). */
export const INTERPRETER_BY_EXTENSION: Readonly<Record<string, string>> = {
  '.py': 'python3',
  '.sh': 'bash',
  '.rb': 'ruby',
  '.php': 'php',
  '.pl': 'perl',
  '.ts': 'tsx',
  '.mts': 'tsx',
  '.cts': 'tsx',
};
