// The shape of an object type of stripe-node's TypeScript declarations, read
// with the TypeScript compiler API: for each field its kind (string, number,
// boolean, object, map, array, list), whether it may be null and whether it may
// be absent, nested objects field by field. Used by the type-conformance test
// and by scripts/generate-account-schema.js.
'use strict';
const path = require('path');
const ts = require('typescript');

const stripeDir = path.join(__dirname, 'node_modules', 'stripe');

// The declaration files of stripe-node: cjs/resources/<name>.d.ts.
function resourceFile(name) {
  return path.join(stripeDir, 'cjs', 'resources', `${name}.d.ts`);
}

class StripeTypes {
  // `files`: the .d.ts files declaring the types asked for (their imports
  // are followed by the compiler).
  constructor(files) {
    this.program = ts.createProgram(files, {
      strict: true, noEmit: true, skipLibCheck: true,
      target: ts.ScriptTarget.ES2020, module: ts.ModuleKind.CommonJS,
    });
    this.checker = this.program.getTypeChecker();
    this.files = files;
  }

  // The exported interface `name` of one of the files.
  interfaceType(name) {
    for (const file of this.files) {
      const source = this.program.getSourceFile(file);
      for (const statement of source.statements) {
        if (ts.isInterfaceDeclaration(statement) && statement.name.text === name) {
          return this.checker.getTypeAtLocation(statement.name);
        }
      }
    }
    throw new Error(`no interface ${name} in ${this.files.join(', ')}`);
  }

  // The shape of interface `name`: {kind: 'object', fields: {…}}.
  describe(name, maxDepth = 8) {
    return { kind: 'object', nullable: false,
      fields: this.fields(this.interfaceType(name), [], maxDepth) };
  }

  fields(object, stack, depth) {
    const { checker } = this;
    const fields = {};
    for (const property of checker.getPropertiesOfType(object)) {
      const declaration = property.valueDeclaration || property.declarations?.[0];
      const propertyType = checker.getTypeOfSymbolAtLocation(property, declaration);
      const field = this.shape(propertyType, [...stack, object], depth - 1);
      if (field.kind === 'void') continue;
      field.optional = (property.flags & ts.SymbolFlags.Optional) !== 0;
      fields[property.name] = field;
    }
    return fields;
  }

  shape(type, stack, depth) {
    const { checker } = this;
    let nullable = false;
    let members = type.isUnion() ? type.types : [type];
    members = members.filter((member) => {
      if (member.flags & ts.TypeFlags.Null) { nullable = true; return false; }
      return !(member.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Void));
    });
    const result = (shape) => ({ ...shape, nullable });
    if (members.length === 0) return result({ kind: 'void' });
    const every = (flags) => members.every((m) => m.flags & flags);
    if (every(ts.TypeFlags.BooleanLike)) return result({ kind: 'boolean' });
    if (every(ts.TypeFlags.NumberLike)) return result({ kind: 'number' });
    if (every(ts.TypeFlags.StringLike)) {
      const literals = members.filter((m) => m.isStringLiteral()).map((m) => m.value);
      return result(literals.length === members.length
        ? { kind: 'string', values: literals } : { kind: 'string' });
    }
    // An expandable field (`string | File`) holds the id unless expanded.
    if (members.some((m) => m.flags & ts.TypeFlags.StringLike)) return result({ kind: 'string' });
    if (members.length > 1) return result({ kind: 'any' });
    const object = members[0];
    const symbolName = object.symbol ? object.symbol.name : '';
    if (symbolName === 'Array') {
      const [item] = checker.getTypeArguments(object);
      return result({ kind: 'array', items: depth > 0 ? this.shape(item, stack, depth - 1) : { kind: 'any' } });
    }
    if (symbolName === 'ApiList') return result({ kind: 'list' });
    const properties = checker.getPropertiesOfType(object);
    if (properties.length === 0) {
      return result({ kind: checker.getIndexInfosOfType(object).length > 0 ? 'map' : 'any' });
    }
    if (depth === 0 || stack.includes(object)) return result({ kind: 'object', fields: null });
    return result({ kind: 'object', fields: this.fields(object, stack, depth) });
  }
}

module.exports = { StripeTypes, resourceFile, stripeDir };
