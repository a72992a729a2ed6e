/** Bad input found while converting one op; the importer adds the file and the input line. */
export class ImportProblem extends Error {
  constructor(problem: string) {
    super(problem);
    this.name = 'ImportProblem';
  }
}
